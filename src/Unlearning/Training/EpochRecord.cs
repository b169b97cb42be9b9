using Unlearning.Metrics;

namespace Unlearning.Training;

/// <summary>One epoch's record: training loss, seconds spent training (evaluation excluded), metrics.</summary>
/// <param name="Metrics">On the test split.</param>
/// <param name="Validation">On the validation split, where the data has one (the epoch is then chosen on it).</param>
public sealed record EpochRecord(int Epoch, double Loss, double TrainSeconds, double EvalSeconds, RankingMetrics Metrics, RankingMetrics? Validation = null);

/// <summary>One optimiser step: its number (from 0 across epochs) and the objective it minimised
/// (BCE plus, where the regime adds them, the MMD or adversary terms).</summary>
public readonly record struct TrainingStep(long Step, double Loss);
