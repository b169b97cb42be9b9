using Unlearning.Experiments;

namespace Unlearning.Reporting;

/// <summary>One cell on the utility/privacy plane: HR@10, each attacker's leakage |AUC - 0.5| (in
/// the report's <see cref="GridReport.Attackers"/>' order; NaN where it has none), and whether no cell of its model,
/// dataset (and seed) beats it on both for that attacker. Across seeds the values are means over the
/// <paramref name="Seeds"/> that finished, with the half-widths of their 95 % intervals (null for one seed).</summary>
public sealed record UtilityPrivacyPoint(CellSpec Cell, double Hr10, double[] Leakage, bool[] ParetoOptimal,
    int Seeds = 1, double? Hr10HalfWidth = null, double?[]? LeakageHalfWidth = null);
