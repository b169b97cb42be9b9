using Unlearning.Attack;
using Unlearning.Experiments;

namespace Unlearning.Reporting;

/// <summary>The values of one cell that Tables 1-3 show: "hr@10"-style recommendation metrics,
/// mean attack metrics by attacker ("MLP", "Tree"), and Table 2's seconds; by attacker, what the
/// tables say of one that was degenerate (<see cref="DegenerateAttacker"/>).</summary>
public sealed record ReportValues(IReadOnlyDictionary<string, double> Recommendation,
    IReadOnlyDictionary<string, ClassificationMetrics> Attacks, double MethodSeconds, IReadOnlyDictionary<string, string>? Degenerate = null)
{
    public static ReportValues From(CellResult result) => new(result.Recommendation,
        result.Attacks.ToDictionary(a => a.Attacker, a => a.Mean), result.Timing.MethodSeconds,
        result.Attacks.Where(a => a.Degenerate is not null).ToDictionary(a => a.Attacker, a => a.Degenerate!));

    public double? Metric(string name) => Recommendation.TryGetValue(name, out var v) ? v : null;
}
