namespace Unlearning.Grains;

/// <summary>The grid's dependency rules, free of Orleans so they can be tested alone.</summary>
public static class GridPlan
{
    public readonly record struct Decision(bool Ready, string? FailedInput);

    /// <summary>The requested cells plus the original cells that u2u / d2d need, without duplicates.</summary>
    public static IReadOnlyList<CellKey> WithInputs(IEnumerable<CellKey> cells)
    {
        var all = new List<CellKey>();
        foreach (var cell in cells)
        {
            if (cell.NeedsOriginal() && !all.Contains(cell.OriginalCell())) all.Add(cell.OriginalCell());
            if (!all.Contains(cell)) all.Add(cell);
        }
        return all;
    }

    /// <summary>Whether a pending cell may start now, must fail because its input failed, or waits.</summary>
    public static Decision Decide(CellKey cell, Func<CellKey, CellStatus?> statusOf)
    {
        if (!cell.NeedsOriginal()) return new Decision(true, null);
        var input = statusOf(cell.OriginalCell());
        return input?.State switch
        {
            CellState.Done => new Decision(true, null),
            CellState.Failed => new Decision(false, $"its input {cell.OriginalCell()} failed: {input.Error}"),
            null => new Decision(false, $"its input {cell.OriginalCell()} is not part of the grid"),
            _ => new Decision(false, null),
        };
    }
}
