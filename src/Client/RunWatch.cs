using Unlearning.Grains;

namespace Unlearning.Client;

/// <summary>
/// A client's copy of a running grid, kept from <see cref="IGridGrain.GetChanges"/>: cells that did not
/// change keep their status object (the live view skips those), and the run file is rewritten when a
/// cell has finished since the last save, at most every <see cref="SaveEvery"/>: a 10,000-cell run file
/// is megabytes, and rewriting it every second would cost the client more than the grid.
/// </summary>
public sealed class RunWatch(string outDir)
{
    public static readonly TimeSpan SaveEvery = TimeSpan.FromSeconds(10);

    private readonly Dictionary<CellKey, CellStatus> _cells = new();
    private readonly List<CellKey> _order = [];
    private int _finishedAtSave = -1;
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

    /// <summary>Writes the run file when cells finished since the last write and it is due (the first
    /// look counts as a change: the run file exists from the start).</summary>
    public bool SaveIfDue(GridStatus status)
    {
        int finished = status.Cells.Count(c => c.IsFinished);
        bool due = finished != _finishedAtSave && DateTime.UtcNow - _savedAt >= SaveEvery;
        if (!due) return false;
        GridRun.Save(outDir, status);
        _finishedAtSave = finished;
        _savedAt = DateTime.UtcNow;
        return true;
    }
}
