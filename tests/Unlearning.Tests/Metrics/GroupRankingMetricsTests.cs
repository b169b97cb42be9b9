using Unlearning.Experiments;
using Unlearning.Metrics;
using Unlearning.Reporting;
using Unlearning.Tests.Shared;

namespace Unlearning.Tests.Metrics;

/// <summary>Recommendation quality per attribute group: computed by hand on a tiny case, and on a real
/// cell the groups' user-weighted means give back the cell's own metrics (the same final model).</summary>
public sealed class GroupRankingMetricsTests
{
    [Fact]
    public void EachGroupsMetricsComeFromItsOwnUsersRanks()
    {
        // Users 0 and 2 are F (ranks 0 and 12), users 1 and 3 are M (ranks 3 and 4).
        var byGroup = RankingMetrics.ByGroup([0, 3, 12, 4], [0, 1, 0, 1], ["F", "M"]);
        Assert.Equal(["F", "M"], byGroup.Keys);
        Assert.Equal(0.5, byGroup["F"].Hr(5), 12);
        Assert.Equal(0.5, byGroup["F"].NdcgAt(5), 12);        // (1/log2(2) + 0) / 2
        Assert.Equal(0.5, byGroup["F"].Hr(10), 12);
        Assert.Equal(1.0, byGroup["F"].Hr(15), 12);
        Assert.Equal(1.0, byGroup["M"].Hr(5), 12);
        Assert.Equal((1 / Math.Log2(5) + 1 / Math.Log2(6)) / 2, byGroup["M"].NdcgAt(5), 12);
        Assert.Equal(0, RankingMetrics.ByGroup([1], [0], ["F", "M"])["M"].Hr(10));
        Assert.Throws<ArgumentException>(() => RankingMetrics.ByGroup([0, 1], [0], ["F"]));
    }

    [Fact]
    public void TheGapNamesTheGroupAhead()
    {
        var byGroup = new Dictionary<string, Dictionary<string, double>>
        {
            ["F"] = new() { ["hr@10"] = 0.40 }, ["M"] = new() { ["hr@10"] = 0.45 },
        };
        Assert.Equal("0.0500 (M ahead)", CellReport.Gap(byGroup, "hr@10"));
        Assert.Equal("", CellReport.Gap(new Dictionary<string, Dictionary<string, double>> { ["F"] = new() { ["hr@10"] = 0.4 } }, "hr@10"));
    }

    [Fact]
    public void ACellsGroupMetricsAverageBackToItsOwn()
    {
        using var temp = new TempFolder("groups-");
        var runner = new CellRunner(new EngineSettings { DataDir = temp.Path, OutDir = temp.Path, Device = "cpu" });
        foreach (var method in new[] { "original", "d2d" })
        {
            var result = runner.Run(new CellSpec("synthetic-small", "ncf", method, "tiny", 7));
            var byGroup = Assert.IsType<Dictionary<string, Dictionary<string, double>>>(result.RecommendationByGroup);
            var sizes = result.DatasetSummary.Groups;
            Assert.Equal(sizes.Keys.Order(), byGroup.Keys.Order());
            // Premise: the groups differ (otherwise the test could not tell a group's users from all users).
            Assert.NotEqual(byGroup.Values.First()["hr@10"], byGroup.Values.Last()["hr@10"]);
            foreach (var metric in new[] { "hr@5", "ndcg@5", "hr@10", "ndcg@10" })
            {
                double weighted = byGroup.Sum(g => g.Value[metric] * sizes[g.Key]) / sizes.Values.Sum();
                Assert.Equal(result.Metric(metric), weighted, 9);
            }
            var first = byGroup.Keys.First();
            Assert.Equal(byGroup[first]["hr@10"], CellResult.Load(result.ResultPath).RecommendationByGroup![first]["hr@10"]);
            Assert.Contains("Recommendation by attribute group", CellReport.Render(result));
        }
    }
}
