using Microsoft.Extensions.DependencyInjection;

namespace Unlearning.Grains.Tests;

/// <summary>A cell over its time limit is stopped and reported, and its slot serves the next cell;
/// <c>grid cancel</c> stops running cells within seconds and frees their slots.</summary>
public sealed class LimitTests(TimeLimitedClusterFixture fixture) : IClassFixture<TimeLimitedClusterFixture>
{
    // LightGCN's 25 paper epochs take far longer than the 10 s limit; a tiny cell far less.
    private static CellKey Long(int seed) => new("synthetic-small", "lightgcn", "original", "paper", seed);
    private static CellKey Tiny => new("synthetic-small", "ncf", "retrain", "tiny", 11);

    [Fact]
    public async Task ACellOverItsTimeLimitFailsSayingSoAndFreesItsSlot()
    {
        var status = await GridGrainTests.RunToEnd(fixture.Cluster, fixture.OutDir, "over-time", Long(1), Tiny);
        var over = status.Cells.Single(c => c.Cell == Long(1));
        Assert.Equal(CellState.Failed, over.State);
        Assert.Contains("cell time limit of 00:00:10 (Cells__TimeLimit)", over.Error);
        Assert.InRange(over.SlotSeconds()!.Value, 10, 40);
        Assert.Equal(CellState.Done, status.Cells.Single(c => c.Cell == Tiny).State);
    }

    [Fact]
    public async Task CancelStopsRunningCellsWithinTenSecondsAndFreesTheirSlots()
    {
        var grid = fixture.Cluster.Client.GetGrain<IGridGrain>("to-cancel");
        // Two long cells on one slot: one runs, one queues; a u2u waits for its original.
        await grid.Start(new GridRequest("to-cancel", [Long(2), Long(3), Long(2) with { Method = "u2u" }], new GridSettings()));
        await WaitUntil(async () => (await grid.GetStatus()).Cells.Any(c => c.State == CellState.Running && c.Position >= 1));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cancelled = await grid.Cancel();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"cancel took {clock.Elapsed}");
        Assert.True(cancelled.IsFinished);
        Assert.All(cancelled.Cells, c => Assert.Equal(CellState.Failed, c.State));
        Assert.All(cancelled.Cells, c => Assert.Contains("cancelled", c.Error));

        var executor = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<CellExecutor>();
        Assert.Equal((0, 0), (executor.Running, executor.Waiting));

        // The slot is free: a new grid's cell runs on the same silo.
        var next = await GridGrainTests.RunToEnd(fixture.Cluster, fixture.OutDir, "after-cancel", Tiny with { Seed = 12 });
        Assert.Equal(CellState.Done, next.Cells.Single().State);
    }

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met within 2 minutes");
            await Task.Delay(100);
        }
    }
}
