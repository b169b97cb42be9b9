using Unlearning.Experiments;
using Unlearning.Grains;

namespace Unlearning.Client;

/// <summary>
/// A client's copy of a running grid, kept from <see cref="IGridGrain.GetChanges"/>: cells that did not
/// change keep their status object (the live view skips those), and the run file is rewritten when
/// anything changed, at most every second up to <see cref="SmallGrid"/> cells (tools read progress
/// from it) and every <see cref="LargeGridSaveEvery"/> above: a 10,000-cell run file is megabytes, and
/// rewriting it every second would cost the client more than the grid.
/// </summary>
/// <param name="clock">UTC now (tests pass their own).</param>
public sealed class RunWatch(string outDir, Func<DateTime>? clock = null)
{
    private readonly Func<DateTime> _now = clock ?? (() => DateTime.UtcNow);

    public const int SmallGrid = 1000;
    public static readonly TimeSpan LargeGridSaveEvery = TimeSpan.FromSeconds(10);

    /// <summary>How often the run file of a grid of <paramref name="cells"/> cells is rewritten at most.</summary>
    public static TimeSpan SaveEvery(int cells) => cells <= SmallGrid ? TimeSpan.FromSeconds(1) : LargeGridSaveEvery;

    private readonly Dictionary<CellSpec, CellStatus> _cells = new();
    private readonly List<CellSpec> _order = [];
    private long _versionAtSave = -1;
    private DateTime _savedAt = DateTime.MinValue;

    /// <summary>The version to ask for next (0 at first: everything).</summary>
    public long Version { get; private set; }

    public GridStatus Merge(GridChanges changes)
    {
        if (changes.Everything)
        {
            _cells.Clear();
            _order.Clear();
        }
        foreach (var c in changes.Cells)
        {
            if (!_cells.ContainsKey(c.Cell)) _order.Add(c.Cell);
            _cells[c.Cell] = c;
        }
        Version = changes.Version;
        return Latest = new GridStatus(changes.RunId, [.. _order.Select(k => _cells[k])], changes.StartedAt, changes.FinishedAt);
    }

    public GridStatus? Latest { get; private set; }

    /// <summary>Writes the run file as last seen (a client detaching), if it saw any cell.</summary>
    public void SaveLatest()
    {
        if (Latest is { Cells.Count: > 0 } latest) GridRun.Save(outDir, latest);
    }

    /// <summary>Writes the run file when anything changed since the last write and it is due (the
    /// first look counts as a change: the run file exists from the start).</summary>
    public bool SaveIfDue(GridStatus status)
    {
        bool due = Version != _versionAtSave && _now() - _savedAt >= SaveEvery(status.Cells.Count);
        if (!due) return false;
        GridRun.Save(outDir, status);
        _versionAtSave = Version;
        _savedAt = _now();
        return true;
    }
}
