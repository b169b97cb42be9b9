using Unlearning.Attack;
using Unlearning.Experiments;

namespace Unlearning.Reporting;

/// <summary>The values of one cell that Tables 1-3 show: "hr@10"-style recommendation metrics,
/// mean attack metrics by attacker ("MLP", "Tree"), and Table 2's seconds; by attacker, what the
/// tables say of one that was degenerate (<see cref="DegenerateAttacker"/>); the device the cell ran
/// on ("cpu", "cuda:0", or "simulated" for the benchmark engine's made-up numbers), where known; the
/// recommendation metrics of each attribute group's users, where kept; the strongest rung of the cell's
/// attack ladder, where it climbed one.</summary>
public sealed record ReportValues(IReadOnlyDictionary<string, double> Recommendation,
    IReadOnlyDictionary<string, ClassificationMetrics> Attacks, double MethodSeconds, IReadOnlyDictionary<string, string>? Degenerate = null,
    string? Device = null, IReadOnlyDictionary<string, Dictionary<string, double>>? RecommendationByGroup = null, StrongestAttack? Strongest = null)
{
    /// <summary>The device of a cell whose numbers the benchmark engine (<c>Cells__Engine=simulated</c>) made up.</summary>
    public const string SimulatedDevice = "simulated";

    public static ReportValues From(CellResult result) => new(result.Recommendation,
        result.Attacks.ToDictionary(a => a.Attacker, a => a.Mean), result.Timing.MethodSeconds,
        result.Attacks.Where(a => a.Degenerate is not null).ToDictionary(a => a.Attacker, a => a.Degenerate!), result.Device, result.RecommendationByGroup,
        StrongestAttack.Of(result.Ladder));

    /// <summary>The benchmark engine made these numbers up.</summary>
    public bool Simulated => Device == SimulatedDevice;

    public double? Metric(string name) => Recommendation.TryGetValue(name, out var v) ? v : null;
}

/// <summary>The strongest rung of a cell's attack ladder (<see cref="AttackLadder.Strongest"/>) as the
/// report sees it: its mean leakage and who reached it.</summary>
public sealed record StrongestAttack(double Leakage, string Attacker, string View, string Threat)
{
    /// <summary>"kNN, full, stale".</summary>
    public string Name => LadderEntry.NameOf(Attacker, View, Threat);

    public static StrongestAttack? Of(AttackLadder? ladder) =>
        ladder?.Strongest is { } s ? new StrongestAttack(s.Leakage, s.Attacker, s.View, s.Threat) : null;
}
