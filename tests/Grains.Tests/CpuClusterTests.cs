using Unlearning.Experiments;
namespace Unlearning.Grains.Tests;

public sealed class CpuClusterTests(CpuClusterFixture fixture) : IClassFixture<CpuClusterFixture>
{
    [Fact]
    public async Task CellsSpreadOverTheSilosAndEachSiloRunsOneAtATime()
    {
        CellSpec[] cells =
        [
            new("synthetic-small", "ncf", "original", "tiny", 21), new("synthetic-small", "ncf", "retrain", "tiny", 21),
            new("synthetic-small", "lightgcn", "original", "tiny", 21), new("synthetic-small", "lightgcn", "adv", "tiny", 21),
        ];
        var status = await GridGrainTests.RunToEnd(fixture.Cluster, fixture.OutDir, "spread", cells);
        Assert.All(status.Cells, c => Assert.Equal(CellState.Done, c.State));
        // Placed by cells per slot: two on each silo.
        Assert.Equal([("Silo_0", 2), ("Silo_1", 2)], status.Cells.GroupBy(c => c.Silo!).OrderBy(g => g.Key).Select(g => (g.Key, g.Count())));
        var timeline = GridTimeline.From(status);
        Assert.All(timeline.MostAtOncePerSilo.Values, n => Assert.Equal(1, n));
        // Each silo's second cell was queued from the start and took the slot once the first had freed it, not before.
        Assert.Equal(2, timeline.HandoffSeconds.Count);
        Assert.All(timeline.HandoffSeconds, s => Assert.True(s >= 0, $"a cell took the slot {-s:F3} s before its previous cell finished"));
        Assert.Equal(2, timeline.Slots);
        Assert.True(timeline.WallSeconds >= timeline.LowerBoundSeconds);
    }
}
