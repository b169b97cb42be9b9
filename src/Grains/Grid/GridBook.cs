using Unlearning.Experiments;
namespace Unlearning.Grains;

/// <summary>
/// The grid's bookkeeping in memory, free of Orleans: every cell's latest status, which cells are
/// ready to start (their inputs done) in priority order, which wait for which original, which are
/// open (handed to a cell grain and not finished), and a version per change so that a watcher asks
/// for what changed since it last looked. Each event touches only the cells it concerns: a finished
/// original releases its own dependents, nothing is rescanned, so a grid of 10,000 cells costs the
/// same per event as one of ten.
/// </summary>
public sealed class GridBook
{
    private readonly Dictionary<CellSpec, CellStatus> _cells = new();
    private readonly Dictionary<CellSpec, long> _changedAt = new();
    private readonly Dictionary<CellSpec, int> _order = new();
    private readonly IReadOnlyDictionary<CellSpec, double> _priorities;
    private readonly Dictionary<CellSpec, List<CellSpec>> _waitingOn = new();
    private readonly SortedSet<CellSpec> _ready;
    private readonly Dictionary<CellSpec, DateTimeOffset> _readyAt = new();
    private readonly HashSet<CellSpec> _open = new();
    private readonly int[] _counts = new int[Enum.GetValues<CellState>().Length];
    private readonly long _firstVersion;
    private readonly Func<DateTimeOffset> _clock;

    /// <param name="cells">The grid's cells, inputs included, in plan order (ties in priority go to the earlier).</param>
    /// <param name="known">Statuses already known (a grid brought back on another silo); every other cell is pending.</param>
    /// <param name="firstVersion">Where this book's versions start: above any version an earlier
    /// activation of the grid handed out, so that a watcher holding one of those is sent everything.</param>
    /// <param name="clock">The grid's clock, for <see cref="ReadyAt"/>: when the grid learned that a cell's inputs were done.</param>
    public GridBook(IReadOnlyList<CellSpec> cells, IReadOnlyDictionary<CellSpec, double> priorities, IEnumerable<CellStatus> known, long firstVersion,
        Func<DateTimeOffset>? clock = null)
    {
        _priorities = priorities;
        _clock = clock ?? (() => DateTimeOffset.Now);
        _firstVersion = Version = firstVersion;
        for (int i = 0; i < cells.Count; i++) _order[cells[i]] = i;
        _ready = new SortedSet<CellSpec>(Comparer<CellSpec>.Create((a, b) =>
        {
            int byPriority = Priority(b).CompareTo(Priority(a));
            return byPriority != 0 ? byPriority : _order[a].CompareTo(_order[b]);
        }));
        var statuses = known.Where(s => _order.ContainsKey(s.Cell)).ToDictionary(s => s.Cell);
        foreach (var cell in cells)
        {
            var status = statuses.GetValueOrDefault(cell) ?? new CellStatus(cell, CellState.Pending);
            _cells[cell] = status;
            _counts[(int)status.State]++;
            _changedAt[cell] = Version;
        }
        foreach (var cell in cells)
        {
            var status = _cells[cell];
            if (status.State is CellState.Queued or CellState.Running) _open.Add(cell);
            // Cells found ready here have been since their input finished (an earlier activation knew it then).
            else if (status.State is CellState.Pending or CellState.WaitingForInputs) Admit(cell, InputFinished(cell));
        }
    }

    /// <summary>The first version this book handed out; a watcher holding an older one gets everything.</summary>
    public long FirstVersion => _firstVersion;

    /// <summary>The latest change's version.</summary>
    public long Version { get; private set; }

    public int Count => _cells.Count;

    /// <summary>Cells handed to their grains and not finished.</summary>
    public int Open => _open.Count;

    /// <summary>Cells whose inputs are done, not yet handed out.</summary>
    public int Ready => _ready.Count;

    public IReadOnlyCollection<CellSpec> OpenCells => _open;

    public bool IsFinished => _counts[(int)CellState.Done] + _counts[(int)CellState.Failed] == _cells.Count;

    public int CountOf(CellState state) => _counts[(int)state];

    public bool Contains(CellSpec cell) => _cells.ContainsKey(cell);

    public CellStatus this[CellSpec cell] => _cells[cell];

    public double Priority(CellSpec cell) => _priorities.GetValueOrDefault(cell);

    /// <summary>When the cell's inputs were found done (null for one not ready yet).</summary>
    public DateTimeOffset? ReadyAt(CellSpec cell) => _readyAt.TryGetValue(cell, out var at) ? at : null;

    public IReadOnlyList<CellStatus> All() => [.. _cells.Values];

    /// <summary>The statuses changed after <paramref name="version"/>; all of them for a version this
    /// book did not hand out (0, or one from an earlier activation of the grid).</summary>
    public IReadOnlyList<CellStatus> ChangesSince(long version) => version < _firstVersion
        ? All()
        : [.. _changedAt.Where(c => c.Value > version).Select(c => _cells[c.Key])];

    /// <summary>Takes up to <paramref name="most"/> ready cells, highest priority first, and counts them open.</summary>
    public IReadOnlyList<CellSpec> TakeReady(int most)
    {
        var taken = _ready.Take(Math.Max(0, most)).ToList();
        foreach (var cell in taken)
        {
            _ready.Remove(cell);
            _open.Add(cell);
        }
        return taken;
    }

    /// <summary>A cell taken but not handed out after all (its grain could not be reached): ready again.</summary>
    public void PutBack(CellSpec cell)
    {
        if (_open.Remove(cell) && _cells[cell].State is CellState.Pending or CellState.WaitingForInputs) _ready.Add(cell);
    }

    /// <summary>Records a cell's status as its grain reports it; a finished original releases its
    /// dependents (ready when it is done, failed naming it when it failed).</summary>
    public void Set(CellStatus status)
    {
        if (!_cells.TryGetValue(status.Cell, out var old)) return;
        // A finished cell stays finished: a late poll must not bring back an earlier state.
        if (old.IsFinished && !status.IsFinished) return;
        if (old.Equals(status)) return;
        Record(status);
        if (status.State is CellState.Queued or CellState.Running) _open.Add(status.Cell);
        if (!status.IsFinished || old.IsFinished) return;
        _open.Remove(status.Cell);
        _ready.Remove(status.Cell);
        if (!_waitingOn.Remove(status.Cell, out var dependents)) return;
        foreach (var dependent in dependents) Admit(dependent);
    }

    /// <summary>Fails every cell not handed out yet (a cancelled grid); returns how many.</summary>
    public int FailUnstarted(string error, DateTimeOffset at)
    {
        var unstarted = _cells.Values.Where(c => c.State is CellState.Pending or CellState.WaitingForInputs && !_open.Contains(c.Cell)).ToList();
        foreach (var c in unstarted) Set(c with { State = CellState.Failed, Error = error, FinishedAt = at });
        _ready.Clear();
        return unstarted.Count;
    }

    /// <summary>Decides a cell not handed out: ready, failed because its input failed, or waiting for it.</summary>
    private void Admit(CellSpec cell, DateTimeOffset? readySince = null)
    {
        var now = readySince ?? _clock();
        if (_cells[cell].IsFinished) return; // failed already (a cancelled grid)
        var decision = GridPlan.Decide(cell, c => _cells.GetValueOrDefault(c));
        if (decision.Ready)
        {
            _readyAt.TryAdd(cell, now);
            _ready.Add(cell);
        }
        else if (decision.FailedInput is { } reason)
        {
            Set(_cells[cell] with { State = CellState.Failed, Error = reason, FinishedAt = now });
        }
        else
        {
            if (_cells[cell].State != CellState.WaitingForInputs)
                Record(_cells[cell] with { State = CellState.WaitingForInputs, Detail = "waiting for the original model" });
            var input = cell.OriginalCell;
            if (!_waitingOn.TryGetValue(input, out var list)) _waitingOn[input] = list = [];
            list.Add(cell);
        }
    }

    private DateTimeOffset? InputFinished(CellSpec cell) =>
        cell.NeedsOriginal && _cells.GetValueOrDefault(cell.OriginalCell) is { FinishedAt: { } at } ? at : null;

    private void Record(CellStatus status)
    {
        var old = _cells[status.Cell];
        _counts[(int)old.State]--;
        _counts[(int)status.State]++;
        _cells[status.Cell] = status;
        _changedAt[status.Cell] = ++Version;
    }
}
