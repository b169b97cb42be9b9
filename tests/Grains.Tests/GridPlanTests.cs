namespace Unlearning.Grains.Tests;

public sealed class GridPlanTests
{
    private static CellKey Cell(string method) => new("ml-100k", "ncf", method, "paper", 2023);

    [Fact]
    public void UnlearningCellsBringTheirOriginalOnce()
    {
        var cells = GridPlan.WithInputs([Cell("u2u"), Cell("d2d"), Cell("retrain")]);
        Assert.Equal([Cell("original"), Cell("u2u"), Cell("d2d"), Cell("retrain")], cells);
    }

    [Fact]
    public void DependentsWaitForTheOriginalAndFailWithIt()
    {
        CellStatus? original = new(Cell("original"), CellState.Running);
        Func<CellKey, CellStatus?> lookup = _ => original;
        Assert.True(GridPlan.Decide(Cell("retrain"), lookup).Ready);
        Assert.False(GridPlan.Decide(Cell("u2u"), lookup).Ready);
        Assert.Null(GridPlan.Decide(Cell("u2u"), lookup).FailedInput);
        original = original with { State = CellState.Done };
        Assert.True(GridPlan.Decide(Cell("u2u"), lookup).Ready);
        original = original with { State = CellState.Failed, Error = "data missing" };
        Assert.Contains("data missing", GridPlan.Decide(Cell("d2d"), lookup).FailedInput);
    }
}
