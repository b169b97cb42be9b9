namespace Unlearning.Experiments;

/// <summary>Table 2's figure is <see cref="MethodSeconds"/>: the training epochs (original, retrain,
/// adv) or the unlearning steps plus their set-up (u2u, d2d), evaluation excluded.</summary>
public sealed record CellTiming(
    double MethodSeconds,
    double SecondsPerUnit,
    string Unit,
    double EvaluationSeconds,
    double AttackSeconds,
    double DataSeconds,
    double WallSeconds,
    long PeakWorkingSetBytes);
