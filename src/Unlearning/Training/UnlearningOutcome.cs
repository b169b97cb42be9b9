using Unlearning.Metrics;

namespace Unlearning.Training;

public sealed record UnlearningOutcome(IReadOnlyList<UnlearningCheckpoint> Checkpoints, RankingMetrics FinalMetrics,
    double SetupSeconds, double StepSeconds, double EvalSeconds)
{
    /// <summary>Table 2's time: the optimisation steps plus their set-up, evaluation excluded.</summary>
    public double UnlearningSeconds => SetupSeconds + StepSeconds;
}
