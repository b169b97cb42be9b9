using Unlearning.Experiments;
namespace Unlearning.Grains.Tests;

public sealed class GridBookTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static CellSpec Cell(string method, int seed = 2023) => new("ml-100k", "ncf", method, "paper", seed);

    /// <summary>Two seeds: an original with its u2u and d2d each, and a retrain that needs nothing.</summary>
    private static readonly IReadOnlyList<CellSpec> Cells = GridPlan.WithInputs(
        [Cell("u2u"), Cell("d2d"), Cell("retrain"), Cell("u2u", 2024), Cell("d2d", 2024)]);

    private static GridBook Book(IEnumerable<CellStatus>? known = null, long firstVersion = 100, Func<DateTimeOffset>? clock = null) =>
        new(Cells, CellCostModel.Priorities(Cells), known ?? [], firstVersion, clock ?? (() => T0));

    private static CellStatus Done(CellSpec cell) => new(cell, CellState.Done, FinishedAt: T0);

    [Fact]
    public void CellsWithoutInputsAreReadyInPriorityOrderAndDependentsWait()
    {
        var book = Book();
        // Premise: the cost model ranks an original (its own work and its dependents') above a retrain.
        Assert.True(book.Priority(Cell("original")) > book.Priority(Cell("retrain")));

        Assert.Equal(3, book.Ready);
        Assert.Equal(4, book.CountOf(CellState.WaitingForInputs));
        var first = book.TakeReady(2);
        Assert.Equal([Cell("original"), Cell("original", 2024)], first);
        Assert.Equal(2, book.Open);
        Assert.Equal([Cell("retrain")], book.TakeReady(10));
        Assert.Empty(book.TakeReady(10));
    }

    [Fact]
    public void AFinishedOriginalReleasesItsOwnDependentsReadyWhenTheGridLearnedOfIt()
    {
        var now = T0;
        var book = Book(clock: () => now);
        book.TakeReady(3);
        now = T0.AddSeconds(3);
        book.Set(Done(Cell("original")));
        Assert.Equal(2, book.Open);
        var released = book.TakeReady(10);
        Assert.Equal([Cell("u2u"), Cell("d2d")], released.OrderBy(c => c.Method == "d2d"));
        Assert.Equal(T0.AddSeconds(3), book.ReadyAt(Cell("u2u")));
        Assert.Equal(T0, book.ReadyAt(Cell("retrain")));
        Assert.Null(book.ReadyAt(Cell("u2u", 2024)));
        Assert.Equal(CellState.WaitingForInputs, book[Cell("u2u", 2024)].State);
    }

    [Fact]
    public void AFailedOriginalFailsItsDependentsNamingIt()
    {
        var book = Book();
        book.TakeReady(3);
        book.Set(new CellStatus(Cell("original", 2024), CellState.Failed, Error: "data missing", FinishedAt: T0));
        foreach (var method in new[] { "u2u", "d2d" })
        {
            var status = book[Cell(method, 2024)];
            Assert.Equal(CellState.Failed, status.State);
            Assert.Contains("data missing", status.Error);
            Assert.Contains(Cell("original", 2024).ToString(), status.Error);
        }
        Assert.Equal(CellState.WaitingForInputs, book[Cell("u2u")].State);
        Assert.Empty(book.TakeReady(10));
    }

    [Fact]
    public void AWatcherIsSentOnlyWhatChangedAndEverythingForAVersionItDidNotHandOut()
    {
        var book = Book(firstVersion: 100);
        Assert.Equal(Cells.Count, book.ChangesSince(0).Count);
        Assert.Equal(Cells.Count, book.ChangesSince(99).Count);
        var seen = book.Version;
        Assert.Empty(book.ChangesSince(seen));

        book.TakeReady(3);
        book.Set(new CellStatus(Cell("retrain"), CellState.Running, Position: 1, Total: 5));
        var changed = book.ChangesSince(seen);
        Assert.Equal([Cell("retrain")], changed.Select(c => c.Cell));
        Assert.Equal(1, changed[0].Position);

        seen = book.Version;
        book.Set(new CellStatus(Cell("retrain"), CellState.Running, Position: 1, Total: 5)); // the same status again
        Assert.Empty(book.ChangesSince(seen));
        Assert.Equal(seen, book.Version);
    }

    [Fact]
    public void AFinishedCellStaysFinishedWhatEverALatePollSays()
    {
        var book = Book();
        book.TakeReady(3);
        book.Set(Done(Cell("retrain")));
        book.Set(new CellStatus(Cell("retrain"), CellState.Running));
        Assert.Equal(CellState.Done, book[Cell("retrain")].State);
        Assert.Equal(1, book.CountOf(CellState.Done));
    }

    [Fact]
    public void ACellNotHandedOutAfterAllIsReadyAgain()
    {
        var book = Book();
        var taken = book.TakeReady(1);
        book.PutBack(taken[0]);
        Assert.Equal(0, book.Open);
        Assert.Equal(taken, book.TakeReady(1));
    }

    [Fact]
    public void ABookBroughtBackFromTheCellsStatusesCarriesOn()
    {
        // An original done, its twin running, u2u of the first seed done: as a grid brought back on another silo finds them.
        var book = Book([Done(Cell("original")), new CellStatus(Cell("original", 2024), CellState.Running), Done(Cell("u2u"))]);
        Assert.Equal([Cell("original", 2024)], book.OpenCells);
        Assert.Equal(2, book.CountOf(CellState.Done));
        Assert.Equal([Cell("retrain"), Cell("d2d")], book.TakeReady(10).OrderBy(c => c.Method == "d2d"));
        Assert.Equal(CellState.WaitingForInputs, book[Cell("d2d", 2024)].State);
        Assert.False(book.IsFinished);
        // d2d has been ready since its original finished, not since the book was rebuilt (the clock says T0 + 1 h).
        var rebuilt = Book([Done(Cell("original"))], clock: () => T0.AddHours(1));
        Assert.Equal(T0, rebuilt.ReadyAt(Cell("d2d")));
        Assert.Equal(T0.AddHours(1), rebuilt.ReadyAt(Cell("retrain")));
    }

    [Fact]
    public void CancellingFailsWhatWasNotHandedOutAndTheGridFinishesWhenTheRestEnd()
    {
        var book = Book();
        book.TakeReady(1);
        Assert.Equal(Cells.Count - 1, book.FailUnstarted("cancelled: grid cancel", T0));
        Assert.Empty(book.TakeReady(10));
        Assert.False(book.IsFinished);
        book.Set(new CellStatus(Cell("original"), CellState.Failed, Error: "cancelled: grid cancel", FinishedAt: T0));
        Assert.True(book.IsFinished);
        Assert.Equal(0, book.Open);
    }
}
