using Unlearning.Experiments;
using Microsoft.Extensions.Logging;

namespace Unlearning.Grains;

/// <summary>
/// A grid run. The grid is a DAG: u2u / d2d wait for the original cell of the same dataset, model,
/// profile and seed; every other cell starts at once. A cell whose input failed fails with that
/// reason. The grid hands cells to their grains in priority order, keeping about two per device slot
/// of the cluster handed out (its admission window), so that silos hold short queues and the order
/// stays the grid's. Its bookkeeping is in memory (<see cref="GridBook"/>); grain storage (Redis on a
/// cluster) holds the request, written once, and every status once the grid has finished. A grid
/// brought back on another silo (its own was lost) asks its cells where they stand: each cell keeps
/// its own status. A reminder brings back an unfinished grid when no client is watching.
/// </summary>
public sealed class GridGrain(
    [PersistentState("grid", GridStorage.Name)] IPersistentState<GridGrainState> state,
    GridMetrics metrics,
    ILogger<GridGrain> logger) : Grain, IGridGrain, IRemindable
{
    private const string KeepAlive = "keep-alive";
    /// <summary>Cells asked at once when the grid is brought back or cancelled.</summary>
    private const int Batch = 500;
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SlotsEvery = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PublishEvery = TimeSpan.FromSeconds(1);

    private IGrainTimer? _refresh;
    private GridBook? _book;
    private int _window = 4;
    private DateTime _slotsRead = DateTime.MinValue, _published = DateTime.MinValue;

    private GridBook Book => _book ?? throw new InvalidOperationException($"grid {this.GetPrimaryKeyString()} has no run");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Request is not { } request) return;
        IEnumerable<CellStatus> known = state.State.Cells.Values;
        if (state.State.FinishedAt is null)
        {
            known = await Recover(request);
            logger.LogInformation("Grid {Run} brought back on this silo: {Open} cells running, {Finished} finished of {Total}", request.RunId,
                known.Count(c => c.State is CellState.Queued or CellState.Running), known.Count(c => c.IsFinished), request.Cells.Count);
        }
        _book = NewBook(request, known);
        if (state.State.FinishedAt is not null)
        {
            Publish(force: true);
            return;
        }
        if (state.State.Cancelled) await CancelCells();
        await Schedule();
        StartRefreshing();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Forget(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.FinishedAt is null) return; // activation started the refresh timer
        if (await this.GetReminder(reminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }

    public async Task<GridStatus> Cancel()
    {
        if (state.State.Request is null || state.State.FinishedAt is not null) return Snapshot();
        state.State.Cancelled = true;
        await StateWrites.WithRetry(state.WriteStateAsync, logger, $"the state of grid {this.GetPrimaryKeyString()}");
        await CancelCells();
        logger.LogInformation("Grid {Run} cancelled", state.State.Request.RunId);
        await Schedule();
        return Snapshot();
    }

    /// <summary>Cells not handed out fail as cancelled; those handed out are stopped, freeing their slots.</summary>
    private async Task CancelCells()
    {
        Book.FailUnstarted("cancelled: grid cancel", DateTimeOffset.Now);
        foreach (var chunk in Book.OpenCells.ToList().Chunk(Batch))
            foreach (var status in await Task.WhenAll(chunk.Select(c => Cell(c).Cancel("grid cancel"))))
                Book.Set(status);
    }

    public async Task<GridStatus> Start(GridRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RunId != this.GetPrimaryKeyString())
            throw new ArgumentException($"run {request.RunId} sent to grid grain {this.GetPrimaryKeyString()}");
        if (request.Cells.Count == 0) throw new ArgumentException($"run {request.RunId} has no cells");
        if (state.State.Request is { } existing)
        {
            GridPlan.RequireSameCells(request.RunId, existing.Cells.ToList(), request.Cells, $"choose another --run or re-attach with `grid status {request.RunId}`");
            return Snapshot();
        }
        var cells = GridPlan.WithInputs(request.Cells);
        state.State.Request = request with { Cells = cells };
        state.State.StartedAt = DateTimeOffset.Now;
        state.State.Cells.Clear();
        await StateWrites.WithRetry(state.WriteStateAsync, logger, $"the state of grid {this.GetPrimaryKeyString()}");
        await this.RegisterOrUpdateReminder(KeepAlive, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        _book = NewBook(state.State.Request, []);
        await ReadWindow();
        await Schedule();
        StartRefreshing();
        return Snapshot();
    }

    public Task<GridStatus> GetStatus() => Task.FromResult(Snapshot());

    public Task<GridChanges> GetChanges(long version)
    {
        if (_book is null) return Task.FromResult(new GridChanges(this.GetPrimaryKeyString(), 0, true, [], 0, default, null));
        var cells = _book.ChangesSince(version);
        return Task.FromResult(new GridChanges(this.GetPrimaryKeyString(), _book.Version, version < _book.FirstVersion,
            cells, _book.Count, state.State.StartedAt, state.State.FinishedAt));
    }

    public async Task CellFinished(CellStatus status)
    {
        if (_book is null || !_book.Contains(status.Cell)) return;
        _book.Set(status);
        await Schedule();
    }

    /// <summary>Hands ready cells to their grains, highest priority first, while the admission window
    /// has room; ends the grid when every cell has finished.</summary>
    private async Task Schedule()
    {
        var request = state.State.Request!;
        while (!state.State.Cancelled && Book.Open < _window)
        {
            var batch = Book.TakeReady(_window - Book.Open);
            if (batch.Count == 0) break;
            var started = await Task.WhenAll(batch.Select(async cell =>
            {
                try
                {
                    return await Cell(cell).Start(new CellRequest(request.RunId, cell, request.Settings, Book.Priority(cell), Book.ReadyAt(cell)));
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    logger.LogWarning("Could not start cell {Cell} ({Error}); trying again", cell, e.GetBaseException().Message);
                    return null;
                }
            }));
            for (int i = 0; i < batch.Count; i++)
            {
                if (started[i] is { } status) Book.Set(status);
                else Book.PutBack(batch[i]);
            }
            if (started.Any(s => s is null)) break; // the refresh timer tries again
        }
        if (state.State.FinishedAt is null && Book.IsFinished) await Finish(request);
        Publish(force: false);
    }

    private async Task Finish(GridRequest request)
    {
        state.State.FinishedAt = DateTimeOffset.Now;
        state.State.Cells = Book.All().ToDictionary(c => c.Cell.ToString());
        await StateWrites.WithRetry(state.WriteStateAsync, logger, $"the state of grid {this.GetPrimaryKeyString()}");
        _refresh?.Dispose();
        _refresh = null;
        logger.LogInformation("Grid {Run} finished: {Done} done, {Failed} failed", request.RunId, Book.CountOf(CellState.Done), Book.CountOf(CellState.Failed));
        if (await this.GetReminder(KeepAlive) is { } reminder) await this.UnregisterReminder(reminder);
        Publish(force: true);
    }

    private void StartRefreshing() =>
        _refresh ??= this.RegisterGrainTimer(Refresh, new GrainTimerCreationOptions(PollEvery, PollEvery)
        {
            KeepAlive = true,
            Interleave = false,
        });

    /// <summary>Reads the progress of the cells handed out; also catches finishes whose notification was
    /// lost and cells whose silo died (asking such a cell brings it back on another silo, where it resumes).</summary>
    private async Task Refresh(CancellationToken ct)
    {
        if (DateTime.UtcNow - _slotsRead >= SlotsEvery) await ReadWindow();
        var open = Book.OpenCells.ToList();
        var fresh = await Task.WhenAll(open.Select(async c =>
        {
            try { return await Cell(c).GetStatus(); }
            catch (Exception e) when (e is not OutOfMemoryException) { return null; } // its silo is being declared dead: asked again next time
        }));
        foreach (var status in fresh)
        {
            if (status is null) continue;
            if (status.State == CellState.Pending) Book.PutBack(status.Cell); // its grain never got the request
            else Book.Set(status);
        }
        await Schedule();
    }

    /// <summary>Two cells handed out per device slot of the cluster: one running, one queued behind it,
    /// so that a freed slot never waits for the grid.</summary>
    private async Task ReadWindow()
    {
        try
        {
            var silos = await GrainFactory.GetGrain<IClusterDevicesGrain>(0).Get();
            _window = Math.Max(4, 2 * silos.Sum(s => s.Slots));
            _slotsRead = DateTime.UtcNow;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning("Could not read the cluster's device slots ({Error}); the admission window stays {Window}", e.GetBaseException().Message, _window);
        }
    }

    /// <summary>Every cell's status from its grain, in batches; the statuses the grid stored (runs from
    /// before cells kept their own) where a grain knows nothing.</summary>
    private async Task<List<CellStatus>> Recover(GridRequest request)
    {
        await ReadWindow();
        var statuses = new List<CellStatus>(request.Cells.Count);
        foreach (var chunk in request.Cells.Chunk(Batch))
            statuses.AddRange(await Task.WhenAll(chunk.Select(async cell =>
            {
                CellStatus? status = null;
                try { status = await Cell(cell).GetStatus(); }
                // Unreachable (its silo is being declared dead): counted as not started, and starting a
                // started cell again returns where it stands, so nothing runs twice.
                catch (Exception e) when (e is not OutOfMemoryException) { logger.LogWarning("Cell {Cell} did not answer ({Error})", cell, e.GetBaseException().Message); }
                return status is null or { State: CellState.Pending } && state.State.Cells.TryGetValue(cell.ToString(), out var stored)
                    ? stored : status ?? new CellStatus(cell, CellState.Pending);
            })));
        return statuses;
    }

    /// <summary>The book of the grid's cells; a finished grid hands out nothing, so it needs no priorities.</summary>
    private GridBook NewBook(GridRequest request, IEnumerable<CellStatus> known) =>
        new(request.Cells, state.State.FinishedAt is null ? CellCostModel.Priorities(request.Cells) : new Dictionary<CellSpec, double>(),
            known, DateTimeOffset.UtcNow.UtcTicks);

    /// <summary>The grid's statuses to this silo's metrics, at most once a second: a 10,000-cell
    /// snapshot per cell event would cost more than the events.</summary>
    private void Publish(bool force)
    {
        if (_book is null || (!force && DateTime.UtcNow - _published < PublishEvery)) return;
        _published = DateTime.UtcNow;
        metrics.Publish(Snapshot());
    }

    private ICellGrain Cell(CellSpec key) => GrainFactory.GetGrain<ICellGrain>(CellGrainKey.Of(state.State.Request!.RunId, key));

    private GridStatus Snapshot() => new(this.GetPrimaryKeyString(),
        _book?.All() ?? [], state.State.StartedAt, state.State.FinishedAt);
}
