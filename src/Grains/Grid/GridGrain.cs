using Microsoft.Extensions.Logging;

namespace Unlearning.Grains;

/// <summary>
/// A grid run. The grid is a DAG: u2u / d2d wait for the original cell of the same dataset, model,
/// profile and seed; every other cell starts at once. A cell whose input failed fails with that
/// reason. Its state lives in grain storage (Redis on a cluster); clients write run files and
/// reports from the statuses it returns. A reminder brings an unfinished grid back on another silo
/// when its own silo is lost and no client is watching.
/// </summary>
public sealed class GridGrain(
    [PersistentState("grid", GridStorage.Name)] IPersistentState<GridGrainState> state,
    GridMetrics metrics,
    ILogger<GridGrain> logger) : Grain, IGridGrain, IRemindable
{
    private const string KeepAlive = "keep-alive";
    private IGrainTimer? _refresh;

    /// <summary>Each cell's priority, from the cost model: computed once per activation, since a grid's cells never change.</summary>
    private Dictionary<CellKey, double>? _priorities;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Request is null) return Task.CompletedTask;
        if (state.State.FinishedAt is null) StartRefreshing();
        metrics.Publish(Snapshot());
        return Task.CompletedTask;
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
        var cells = state.State.Cells;
        foreach (var key in cells.Keys.ToList())
        {
            var status = cells[key];
            if (status.State is CellState.Pending or CellState.WaitingForInputs)
                cells[key] = status with { State = CellState.Failed, Error = "cancelled: grid cancel", FinishedAt = DateTimeOffset.Now };
        }
        var stopped = await Task.WhenAll(cells.Values.Where(c => !c.IsFinished).Select(c => Cell(c.Cell).Cancel("grid cancel")));
        foreach (var status in stopped) cells[status.Cell.ToString()] = status;
        logger.LogInformation("Grid {Run} cancelled", state.State.Request.RunId);
        await Schedule();
        return Snapshot();
    }

    public async Task<GridStatus> Start(GridRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RunId != this.GetPrimaryKeyString())
            throw new ArgumentException($"run {request.RunId} sent to grid grain {this.GetPrimaryKeyString()}");
        if (request.Cells.Count == 0) throw new ArgumentException($"run {request.RunId} has no cells");
        if (state.State.Request is { } existing)
            GridPlan.RequireSameCells(request.RunId, existing.Cells.ToList(), request.Cells, $"choose another --run or re-attach with `grid status {request.RunId}`");
        if (state.State.Request is null)
        {
            var cells = GridPlan.WithInputs(request.Cells);
            state.State.Request = request with { Cells = cells };
            state.State.StartedAt = DateTimeOffset.Now;
            foreach (var cell in cells) state.State.Cells[cell.ToString()] = new CellStatus(cell, CellState.Pending);
            await this.RegisterOrUpdateReminder(KeepAlive, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            await Schedule();
            StartRefreshing();
        }
        return Snapshot();
    }

    public Task<GridStatus> GetStatus() => Task.FromResult(Snapshot());

    public async Task CellFinished(CellStatus status)
    {
        if (!state.State.Cells.ContainsKey(status.Cell.ToString())) return;
        state.State.Cells[status.Cell.ToString()] = status;
        await Schedule();
    }

    private async Task Schedule()
    {
        var request = state.State.Request!;
        var cells = state.State.Cells;
        // Longest expected work first: the order cells reach their silos' queues, and their priority there.
        var priorities = _priorities ??= CellCostModel.Priorities(request.Cells);
        var order = cells.Keys.OrderByDescending(k => priorities.GetValueOrDefault(cells[k].Cell)).ToList();
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var key in order)
            {
                var status = cells[key];
                if (status.State is not (CellState.Pending or CellState.WaitingForInputs)) continue;
                var decision = GridPlan.Decide(status.Cell, c => cells.TryGetValue(c.ToString(), out var s) ? s : null);
                if (decision.Ready)
                {
                    cells[key] = await Cell(status.Cell).Start(new CellRequest(request.RunId, status.Cell, request.Settings, priorities.GetValueOrDefault(status.Cell)));
                    changed |= cells[key].IsFinished;
                }
                else if (decision.FailedInput is { } reason)
                {
                    cells[key] = status with { State = CellState.Failed, Error = reason };
                    changed = true;
                }
                else if (status.State != CellState.WaitingForInputs)
                {
                    cells[key] = status with { State = CellState.WaitingForInputs, Detail = "waiting for the original model" };
                }
            }
        }
        if (state.State.FinishedAt is null && cells.Values.All(c => c.IsFinished))
        {
            state.State.FinishedAt = DateTimeOffset.Now;
            _refresh?.Dispose();
            _refresh = null;
            logger.LogInformation("Grid {Run} finished: {Done} done, {Failed} failed", request.RunId,
                cells.Values.Count(c => c.State == CellState.Done), cells.Values.Count(c => c.State == CellState.Failed));
            if (await this.GetReminder(KeepAlive) is { } reminder) await this.UnregisterReminder(reminder);
        }
        metrics.Publish(Snapshot());
        await StateWrites.WithRetry(state.WriteStateAsync, logger, $"the state of grid {this.GetPrimaryKeyString()}");
    }

    private void StartRefreshing() =>
        _refresh ??= this.RegisterGrainTimer(Refresh, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1))
        {
            KeepAlive = true,
            Interleave = false,
        });

    /// <summary>Reads the progress of started cells; also catches finishes whose notification was lost.</summary>
    private async Task Refresh(CancellationToken ct)
    {
        var running = state.State.Cells.Values.Where(c => c.State is CellState.Queued or CellState.Running).ToList();
        if (running.Count == 0) return;
        var fresh = await Task.WhenAll(running.Select(c => Cell(c.Cell).GetStatus()));
        bool finished = false;
        foreach (var status in fresh)
        {
            state.State.Cells[status.Cell.ToString()] = status;
            finished |= status.IsFinished;
        }
        if (finished) await Schedule();
        else metrics.Publish(Snapshot());
    }

    private ICellGrain Cell(CellKey key) => GrainFactory.GetGrain<ICellGrain>(key.GrainKey(state.State.Request!.RunId));

    private GridStatus Snapshot() => new(this.GetPrimaryKeyString(),
        state.State.Cells.Values.ToList(), state.State.StartedAt, state.State.FinishedAt);
}
