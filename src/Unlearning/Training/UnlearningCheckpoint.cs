using Unlearning.Metrics;

namespace Unlearning.Training;

public sealed record UnlearningCheckpoint(int Step, double Loss, double Distinguishability, double Regularisation, RankingMetrics Metrics);
