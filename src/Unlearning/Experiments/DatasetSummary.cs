namespace Unlearning.Experiments;

public sealed record DatasetSummary(int Users, int Items, int TrainInteractions, Dictionary<string, int> Groups);
