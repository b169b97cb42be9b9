using Unlearning.Experiments;
using Unlearning.Client;
using Unlearning.Tests.Shared;

namespace Unlearning.Grains.Tests;

/// <summary>The client's copy of a running grid: merged from the grid's changes, unchanged cells kept
/// as the same objects (the live view skips those), the run file rewritten only when cells finished
/// and it is due, and replaced whole when the grid says it sent everything.</summary>
public sealed class RunWatchTests
{
    private static CellSpec Cell(string method, int seed = 2023) => new("ml-100k", "ncf", method, "paper", seed);

    private static GridChanges Changes(long version, bool everything, params CellStatus[] cells) =>
        new("watched", version, everything, cells, 3, DateTimeOffset.Now, null);

    [Fact]
    public void ChangesAreMergedAndUnchangedCellsKeepTheirObjects()
    {
        using var temp = new TempFolder("watch-");
        var watch = new RunWatch(temp.Path);
        Assert.Equal(0, watch.Version);
        var retrain = new CellStatus(Cell("retrain"), CellState.Pending);
        var first = watch.Merge(Changes(10, true, new CellStatus(Cell("original"), CellState.Running), new CellStatus(Cell("u2u"), CellState.WaitingForInputs), retrain));
        Assert.Equal(10, watch.Version);
        Assert.Equal(3, first.Cells.Count);

        var second = watch.Merge(Changes(12, false, new CellStatus(Cell("original"), CellState.Done)));
        Assert.Equal(12, watch.Version);
        Assert.Equal([Cell("original"), Cell("u2u"), Cell("retrain")], second.Cells.Select(c => c.Cell));
        Assert.Equal(CellState.Done, second.Cells[0].State);
        Assert.Same(retrain, second.Cells[2]);
    }

    [Fact]
    public void EverythingReplacesWhatTheWatchHeld()
    {
        using var temp = new TempFolder("watch-");
        var watch = new RunWatch(temp.Path);
        watch.Merge(Changes(10, true, new CellStatus(Cell("original"), CellState.Running), new CellStatus(Cell("retrain", 2024), CellState.Running)));
        // The grid was brought back on another silo: its versions start afresh and it sends every cell.
        var after = watch.Merge(Changes(500, true, new CellStatus(Cell("original"), CellState.Done)));
        Assert.Equal([Cell("original")], after.Cells.Select(c => c.Cell));
    }

    [Fact]
    public void TheRunFileIsWrittenFirstThenOnChangesAtMostEverySecondForASmallGrid()
    {
        using var temp = new TempFolder("watch-");
        var now = new DateTime(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);
        var watch = new RunWatch(temp.Path, () => now);
        var status = watch.Merge(Changes(1, true, new CellStatus(Cell("original"), CellState.Running), new CellStatus(Cell("retrain"), CellState.Running)));
        Assert.True(watch.SaveIfDue(status));
        Assert.True(File.Exists(Path.Combine(GridRun.Directory(temp.Path, "watched"), "grid.json")));
        int Position() => GridRun.Load(temp.Path, "watched").Cells.Single(c => c.Cell == Cell("original")).Position;
        // Nothing changed, long after: nothing written.
        now = now.AddMinutes(1);
        status = watch.Merge(Changes(1, false));
        Assert.False(watch.SaveIfDue(status));
        // Progress: written (tools read it from the run file), then not again within a second.
        status = watch.Merge(Changes(2, false, new CellStatus(Cell("original"), CellState.Running, Position: 3, Total: 5)));
        Assert.True(watch.SaveIfDue(status));
        Assert.Equal(3, Position());
        now = now.AddSeconds(0.5);
        status = watch.Merge(Changes(3, false, new CellStatus(Cell("original"), CellState.Running, Position: 4, Total: 5)));
        Assert.False(watch.SaveIfDue(status));
        Assert.Equal(3, Position());
        now = now.AddSeconds(0.5);
        Assert.True(watch.SaveIfDue(status));
        Assert.Equal(4, Position());
        // Detaching writes what was last seen.
        watch.Merge(Changes(4, false, new CellStatus(Cell("original"), CellState.Failed, Error: "x")));
        watch.SaveLatest();
        Assert.Equal(CellState.Failed, GridRun.Load(temp.Path, "watched").Cells.Single(c => c.Cell == Cell("original")).State);
    }

    [Fact]
    public void ALargeGridsRunFileIsWrittenAtMostEveryTenSeconds()
    {
        using var temp = new TempFolder("watch-");
        var now = new DateTime(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);
        var watch = new RunWatch(temp.Path, () => now);
        var cells = Enumerable.Range(0, RunWatch.SmallGrid + 1).Select(i => new CellStatus(Cell("retrain", 2023 + i), CellState.Running)).ToArray();
        Assert.True(watch.SaveIfDue(watch.Merge(Changes(1, true, cells))));
        now = now.AddSeconds(5);
        var status = watch.Merge(Changes(2, false, cells[0] with { State = CellState.Done }));
        Assert.False(watch.SaveIfDue(status));
        now = now.AddSeconds(5);
        Assert.True(watch.SaveIfDue(status));
        Assert.Equal(CellState.Done, GridRun.Load(temp.Path, "watched").Cells.Single(c => c.Cell == cells[0].Cell).State);
    }
}
