using Unlearning.Attack;
using Unlearning.Experiments;
using Unlearning.Reporting;

namespace Unlearning.Tests.Reporting;

/// <summary>The report's Table 1 by attribute group: seed means per group, the gap between groups, and
/// each one's change against the Original of the same seed, recomputed here by hand.</summary>
public sealed class ByGroupTableTests
{
    private static ReportCell Cell(string method, int seed, double f, double m) =>
        new(new CellSpec("ml-100k", "ncf", method, "paper", seed), new ReportValues(
            new Dictionary<string, double> { ["hr@10"] = (f + m) / 2 },
            new Dictionary<string, ClassificationMetrics>(), 1.0,
            RecommendationByGroup: new Dictionary<string, Dictionary<string, double>>
            {
                ["F"] = new() { ["hr@10"] = f, ["ndcg@10"] = f / 2, ["hr@5"] = f / 3, ["ndcg@5"] = f / 4 },
                ["M"] = new() { ["hr@10"] = m, ["ndcg@10"] = m / 2, ["hr@5"] = m / 3, ["ndcg@5"] = m / 4 },
            }));

    [Fact]
    public void GroupsGapAndChangeAgainstTheOriginalOfTheSameSeed()
    {
        var report = new GridReport([
            Cell("original", 2023, 0.60, 0.70), Cell("original", 2024, 0.62, 0.66),
            Cell("u2u", 2023, 0.50, 0.68), Cell("u2u", 2024, 0.54, 0.64),
            new ReportCell(new CellSpec("ml-100k", "ncf", "d2d", "paper", 2023), null, "boom"),
        ]);
        var rows = report.ByGroupTable();
        Assert.Equal(["Original: F", "Original: M", "Original: gap (M ahead in HR@10)", "U2U-R: F", "U2U-R: M", "U2U-R: gap (M ahead in HR@10)"],
            rows.Select(r => r.Method));
        int hr10 = Array.IndexOf(GridReport.ByGroupMetrics, "hr@10"), deltaHr10 = Array.IndexOf(GridReport.ByGroupMetrics, "delta_hr@10");
        var u2uF = rows[3];
        Assert.Equal(0.52, u2uF.Values[hr10].Ours!.Value, 12);
        Assert.Equal(2, u2uF.Values[hr10].N);
        // Change against the Original of the same seed: (0.50 - 0.60 + 0.54 - 0.62) / 2.
        Assert.Equal(-0.09, u2uF.Values[deltaHr10].Ours!.Value, 12);
        var u2uGap = rows[5];
        Assert.Equal((0.18 + 0.10) / 2, u2uGap.Values[hr10].Ours!.Value, 12);
        // The gap widened against the Original's (0.10 and 0.04).
        Assert.Equal((0.18 - 0.10 + 0.10 - 0.04) / 2, u2uGap.Values[deltaHr10].Ours!.Value, 12);
        Assert.Null(rows[0].Values[deltaHr10].Ours); // the Original against itself: nothing
        Assert.Contains("Table 1 by attribute group", report.Markdown());
        Assert.Contains("1g,", report.Csv());
        Assert.Contains("Recommendation by attribute group", report.Latex());
    }

    [Fact]
    public void ResultsWithoutGroupMetricsAddNoTable()
    {
        var plain = new ReportCell(new CellSpec("ml-100k", "ncf", "original", "paper", 2023),
            new ReportValues(new Dictionary<string, double> { ["hr@10"] = 0.6 }, new Dictionary<string, ClassificationMetrics>(), 1.0));
        var report = new GridReport([plain]);
        Assert.Empty(report.ByGroupTable());
        Assert.DoesNotContain("by attribute group", report.Markdown());
    }
}
