using Unlearning.Metrics;

namespace Unlearning.Training;

public sealed record TrainingOutcome(IReadOnlyList<EpochRecord> Epochs, int BestEpoch, RankingMetrics BestMetrics, double TrainSeconds, double EvalSeconds, long Steps);
