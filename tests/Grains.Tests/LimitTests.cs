using Unlearning.Experiments;
using Microsoft.Extensions.DependencyInjection;

namespace Unlearning.Grains.Tests;

/// <summary>A cell over its time limit is stopped and reported, and its slot is freed.</summary>
public sealed class TimeLimitTests(TimeLimitedClusterFixture fixture) : IClassFixture<TimeLimitedClusterFixture>
{
    [Fact]
    public async Task ACellOverItsTimeLimitFailsSayingSoAndFreesItsSlot()
    {
        // NCF's 25 paper epochs take several times the 2 s limit, even on a fast machine.
        var long1 = LimitTests.Long(1);
        var status = await GridGrainTests.RunToEnd(fixture.Cluster, fixture.OutDir, "over-time", long1, long1 with { Seed = 2 });
        Assert.All(status.Cells, over =>
        {
            Assert.Equal(CellState.Failed, over.State);
            Assert.Contains("cell time limit of 00:00:02 (Cells__TimeLimit)", over.Error);
            Assert.InRange(over.SlotSeconds()!.Value, 2, 20);
        });
        // The second cell got the slot after the first was stopped, and both slots are free now.
        var (first, second) = (status.Cells.MinBy(c => c.StartedAt)!, status.Cells.MaxBy(c => c.StartedAt)!);
        Assert.True(second.StartedAt >= first.FinishedAt);
        var executor = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<CellExecutor>();
        Assert.Equal((0, 0), (executor.Running, executor.Waiting));
    }
}

/// <summary><c>grid cancel</c> stops running cells within seconds and frees their slots.</summary>
public sealed class LimitTests(CpuClusterFixture fixture) : IClassFixture<CpuClusterFixture>
{
    internal static CellSpec Long(int seed) => new("synthetic-small", "ncf", "original", "paper", seed);
    private static CellSpec Tiny => new("synthetic-small", "ncf", "retrain", "tiny", 11);

    [Fact]
    public async Task CancelStopsRunningCellsWithinTenSecondsAndFreesTheirSlots()
    {
        var grid = fixture.Cluster.Client.GetGrain<IGridGrain>("to-cancel");
        // Three long cells on two one-slot silos: two run, one queues; a u2u waits for its original.
        await grid.Start(new GridRequest("to-cancel", [Long(2), Long(3), Long(4), Long(2) with { Method = "u2u" }], new GridSettings()));
        await WaitUntil(async () => (await grid.GetStatus()).Cells.Any(c => c.State == CellState.Running && c.Position >= 1));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cancelled = await grid.Cancel();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"cancel took {clock.Elapsed}");
        Assert.True(cancelled.IsFinished);
        Assert.All(cancelled.Cells, c => Assert.Equal(CellState.Failed, c.State));
        Assert.All(cancelled.Cells, c => Assert.Contains("cancelled", c.Error));

        Assert.All(fixture.Cluster.Silos, s => Assert.Equal((0, 0),
            (s.ServiceProvider.GetRequiredService<CellExecutor>().Running, s.ServiceProvider.GetRequiredService<CellExecutor>().Waiting)));

        // The slots are free: a new grid's cell runs.
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
