using Unlearning.Attack;
using Unlearning.Experiments;
using Unlearning.Reporting;

namespace Unlearning.Tests.Reporting;

/// <summary>Table 3's strongest column: where cells climbed the attack ladder, the seeds' mean of the
/// strongest leakage with its 95 % interval and who reached it, in Markdown, CSV and LaTeX; without a
/// ladder, no trace of it. The utility/privacy plane can place the cells at that leakage.</summary>
public sealed class StrongestColumnTests
{
    private static readonly ClassificationMetrics None = new(0, 0, 0, 0);

    /// <summary>A finished cell whose ladder's strongest rung is <paramref name="attacker"/> on
    /// <paramref name="view"/> under <paramref name="threat"/> at an AUC of <paramref name="auc"/>.</summary>
    private static ReportCell Climbed(string method, int seed, double hr10, string attacker, string view, string threat, double auc)
    {
        var spec = new CellSpec("ml-100k", "ncf", method, "paper", seed);
        var ladder = new AttackLadder(
        [
            new LadderEntry(RepresentationAttack.Attacked, AttackThreat.Paper, new AttackReport("MLP", new ClassificationMetrics(0.6, 0.6, 0.6, 0.51), None, 546, 15, 0)),
            new LadderEntry(view, threat, new AttackReport(attacker, new ClassificationMetrics(0.6, 0.6, 0.6, auc), None, 546, 15, 0)),
        ], []);
        return new ReportCell(spec, ReportValues.From(GridReportTests.Result(spec, hr10, 0.7, 10) with { Ladder = ladder }));
    }

    private static ReportCell Plain(string method, int seed) =>
        new(new CellSpec("ml-100k", "ncf", method, "paper", seed), ReportValues.From(GridReportTests.Result(new CellSpec("ml-100k", "ncf", method, "paper", seed), 0.6, 0.7, 10)));

    [Fact]
    public void Table3GainsTheStrongestLeakageAcrossSeedsNamingWhoReachedIt()
    {
        var report = new GridReport(
        [
            Climbed("d2d", 1, 0.60, "kNN", RepresentationAttack.Full, AttackThreat.Stale, 0.80),
            Climbed("d2d", 2, 0.62, "kNN", RepresentationAttack.Full, AttackThreat.Stale, 0.70),
            // AUC 0.25: leakage 0.25.
            Climbed("d2d", 3, 0.61, "MLP", RepresentationAttack.Attacked, AttackThreat.Paper, 0.25),
            Climbed("original", 1, 0.65, "Logistic", RepresentationAttack.Full, AttackThreat.Paper, 0.75),
            Plain("original", 2),
        ]);
        Assert.True(report.Ladder);
        // Mean of 0.30, 0.20, 0.25 with t(0.975, 2) * sd / sqrt(3).
        double half = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, 2, 0.975) * 0.05 / Math.Sqrt(3);
        var md = report.Markdown();
        Assert.Contains("| MLP acc | MLP precision | MLP recall | MLP auc | Tree acc | Tree precision | Tree recall | Tree auc | strongest |", md);
        // Table 3's row (the Tree's AUC, 0.58, is in no other table).
        var d2d = md.Split('\n').Single(l => l.StartsWith("| NMF | ML-100K (3 seeds) | D2D-R |", StringComparison.Ordinal) && l.Contains("0.5800"));
        Assert.EndsWith($"| 0.2500 ± {half:F4} (kNN, full, stale in 2 of 3 seeds; MLP, attacked, paper in 1) |", d2d);
        // A row whose seeds did not all climb it: the mean of those that did.
        var original = md.Split('\n').Single(l => l.StartsWith("| NMF | ML-100K (2 seeds) | Original |", StringComparison.Ordinal) && l.Contains("0.5800"));
        Assert.EndsWith("| 0.2500 (Logistic, full, paper) |", original);
        Assert.Contains(GridReport.StrongestNote, md);

        var csv = report.Csv().Split('\n');
        var row = csv.Single(l => l.StartsWith("3,NMF,ML-100K (3 seeds),D2D-R,strongest_leakage,", StringComparison.Ordinal));
        // ours, paper, difference, status, n, sd, half_width, paper_outside, then the note (quoted: it has commas).
        var fields = row.Split(',', 14);
        double Number(int i) => double.Parse(fields[i], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0.25, Number(5), 12);
        Assert.Equal(("", "", "done", "3"), (fields[6], fields[7], fields[8], fields[9]));
        Assert.Equal(0.05, Number(10), 12);
        Assert.Equal(half, Number(11), 12);
        Assert.Equal("\"kNN, full, stale in 2 of 3 seeds; MLP, attacked, paper in 1\"", fields[13]);
        Assert.Contains("3,NMF,ML-100K (2 seeds),Original,strongest_leakage,0.25,,,done,1,,,,\"Logistic, full, paper\"", csv);
        Assert.Contains("(kNN, full, stale in 2 of 3 seeds; MLP, attacked, paper in 1)", report.Latex());
        Assert.Contains("strongest \\\\\\midrule", report.Latex());

        // The utility/privacy plane at the strongest leakage: one value per cell, the seeds' mean.
        var points = report.UtilityAndPrivacy(LeakageAxis.Strongest);
        var point = points.Single(p => p.Cell.Method == "d2d");
        Assert.Equal(0.25, Assert.Single(point.Leakage), 12);
        Assert.Equal(half, point.LeakageHalfWidth![0]!.Value, 12);
        Assert.Equal(["strongest attack (over attackers, views, threats)"], report.LeakageLabels(LeakageAxis.Strongest));
        Assert.Equal(2, report.UtilityAndPrivacy().First().Leakage.Length);
    }

    [Fact]
    public void WithoutALadderTable3HasNoStrongestColumn()
    {
        var report = new GridReport([Plain("original", 1), Plain("d2d", 1)]);
        Assert.False(report.Ladder);
        foreach (var text in new[] { report.Markdown(), report.Csv(), report.Latex() })
            Assert.DoesNotContain("strongest", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("| MLP acc | MLP precision | MLP recall | MLP auc | Tree acc | Tree precision | Tree recall | Tree auc |\n", report.Markdown().Replace("\r", ""));
        var e = Assert.Throws<InvalidOperationException>(() => report.UtilityAndPrivacy(LeakageAxis.Strongest));
        Assert.Contains("climbed the attack ladder", e.Message);
        Assert.Equal(LeakageAxis.Strongest, LeakageAxes.Parse("strongest"));
        Assert.Contains("--leakage must be attackers or strongest, got 'best'", Assert.Throws<ArgumentException>(() => LeakageAxes.Parse("best")).Message);
    }
}
