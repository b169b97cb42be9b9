namespace Unlearning.Catalog;

/// <summary>A dataset's size after preprocessing (docs/decisions.md, data statistics).</summary>
public sealed record DatasetShape(int Users, long TrainingPairs);
