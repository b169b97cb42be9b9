using Unlearning.Experiments;
namespace Unlearning.Grains.Tests;

/// <summary>Grid behaviour on a real three-silo cluster with tiny synthetic cells.</summary>
public sealed class GridGrainTests(GridClusterFixture fixture) : IClassFixture<GridClusterFixture>
{
    private static CellSpec Cell(string dataset, string model, string method) => new(dataset, model, method, "tiny", 11);

    private Task<GridStatus> RunToEnd(string runId, params CellSpec[] cells) => RunToEnd(fixture.Cluster, fixture.OutDir, runId, cells);

    internal static async Task<GridStatus> RunToEnd(Orleans.TestingHost.InProcessTestCluster cluster, string outDir, string runId, params CellSpec[] cells)
    {
        var grid = cluster.Client.GetGrain<IGridGrain>(runId);
        await grid.Start(new GridRequest(runId, cells, new GridSettings()));
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (DateTime.UtcNow < deadline)
        {
            var status = await grid.GetStatus();
            if (status.IsFinished) return status;
            await Task.Delay(250);
        }
        throw new TimeoutException($"grid {runId} did not finish: {string.Join("; ", (await grid.GetStatus()).Cells.Select(c => $"{c.Cell} {c.State}"))}");
    }

    [Fact]
    public async Task CellsRunOnTheGpuSiloOneAtATimeInDependencyOrderAndResultsAreGathered()
    {
        var status = await RunToEnd("placement",
            Cell("synthetic-small", "ncf", "d2d"),
            Cell("synthetic-small", "ncf", "u2u"),
            Cell("synthetic-small", "lightgcn", "retrain"));

        // The original that u2u / d2d need joined the grid by itself.
        Assert.Equal(4, status.Cells.Count);
        Assert.All(status.Cells, c => Assert.Equal(CellState.Done, c.State));
        Assert.All(status.Cells, c => Assert.Equal("Silo_0", c.Silo));
        // Its one slot, read from the silo's timestamps: cells waited for it (the original and
        // retrain were queued together), and no two cells' slot spans overlap.
        Assert.Contains(status.Cells, c => status.Cells.Any(o => o != c && c.QueuedAt < o.FinishedAt && c.StartedAt >= o.FinishedAt));
        Assert.Equal(1, GridTimeline.From(status).MostAtOncePerSilo["Silo_0"]);
        Assert.All(status.Cells, c => Assert.Equal(0, c.Slot));

        var original = status.Cells.Single(c => c.Cell.Method == "original");
        foreach (var dependent in status.Cells.Where(c => c.Cell.NeedsOriginal))
            Assert.True(dependent.StartedAt >= original.FinishedAt, $"{dependent.Cell} started before its original finished");

        var run = GridRun.From(status);
        Assert.Equal(4, run.Cells.Count);
        var markdown = RunReportWriter.Build(run).Markdown();
        Assert.Contains("| NMF | synthetic-small | D2D-R |", markdown);
        Assert.Contains("| LightGCN | synthetic-small | Retrain |", markdown);
        Assert.DoesNotContain("missing", markdown);
    }

    [Fact]
    public async Task AFailedInputFailsItsDependentsWithTheReasonAndOtherCellsStillRun()
    {
        var status = await RunToEnd("failure",
            Cell("no-such-dataset", "ncf", "u2u"),
            Cell("synthetic-small", "ncf", "adv"));

        var original = status.Cells.Single(c => c.Cell.Dataset == "no-such-dataset" && c.Cell.Method == "original");
        Assert.Equal(CellState.Failed, original.State);
        Assert.Contains("no-such-dataset", original.Error);
        var u2u = status.Cells.Single(c => c.Cell.Method == "u2u");
        Assert.Equal(CellState.Failed, u2u.State);
        Assert.Contains("its input no-such-dataset/ncf/original", u2u.Error);
        Assert.Equal(CellState.Done, status.Cells.Single(c => c.Cell.Method == "adv").State);

        var markdown = RunReportWriter.Build(GridRun.From(status)).Markdown();
        Assert.Contains("| NMF | no-such-dataset | U2U-R | failed: its input", markdown);
    }

    [Fact]
    public async Task ARunAgainReusesFinishedCells()
    {
        var cell = Cell("synthetic-small", "ncf", "retrain");
        var first = await RunToEnd("reuse-1", cell);
        var second = await RunToEnd("reuse-2", cell);
        Assert.False(first.Cells.Single().Reused);
        Assert.True(second.Cells.Single().Reused);
        Assert.Equal(first.Cells.Single().ResultPath, second.Cells.Single().ResultPath);
    }

    /// <summary>What <c>grid --plan</c> reads of a cluster: its active silos and the devices they announce.</summary>
    [Fact]
    public async Task TheClusterTellsItsSilosDevices()
    {
        var silos = await fixture.Cluster.Client.GetGrain<IClusterDevicesGrain>(0).Get();
        Assert.Equal([(1, 1), (0, 2), (0, 2)], silos.Select(s => (s.Gpus, s.Slots)).OrderByDescending(d => d.Gpus));
        Assert.Equal(3, silos.Select(s => s.Silo).Distinct().Count());
    }
}
