using Microsoft.Extensions.Logging;

namespace Unlearning.Grains;

[GenerateSerializer, Alias("Unlearning.CellGrainState")]
public sealed class CellGrainState
{
    [Id(0)] public CellRequest? Request { get; set; }
    [Id(1)] public CellStatus? Status { get; set; }
}

/// <summary>
/// A cell: hands its work to the silo's <see cref="CellExecutor"/> and returns at once, then polls
/// the job on a keep-alive timer, persists the outcome and tells its grid. An activation that finds
/// its persisted cell unfinished (its silo died) starts it again here.
/// </summary>
[GpuPreferredPlacement]
public sealed class CellGrain(
    [PersistentState("cell", GridStorage.Name)] IPersistentState<CellGrainState> state,
    CellExecutor executor,
    ILogger<CellGrain> logger) : Grain, ICellGrain
{
    private IGrainTimer? _poll;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State is { Request: { } request, Status: { IsFinished: false } })
        {
            logger.LogInformation("Resuming unfinished cell {Cell} on this silo", request.Cell);
            await Submit(request);
        }
    }

    public async Task<CellStatus> Start(CellRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Cell.GrainKey(request.RunId) != this.GetPrimaryKeyString())
            throw new ArgumentException($"cell {request.Cell} of run {request.RunId} sent to grain {this.GetPrimaryKeyString()}");
        if (state.State.Status is { } existing && (existing.IsFinished || _poll is not null))
            return existing;
        await Submit(request);
        return state.State.Status!;
    }

    public Task<CellStatus> GetStatus()
    {
        if (executor.Find(this.GetPrimaryKeyString()) is { } job && !(state.State.Status?.IsFinished ?? false))
            return Task.FromResult(WithQueue(job.Status));
        return Task.FromResult(state.State.Status ?? new CellStatus(CellKeyFromGrainKey(), CellState.Pending));
    }

    private async Task Submit(CellRequest request)
    {
        if (!request.Settings.AllowCpu && executor.Hardware.Gpus == 0)
        {
            await Finish(request, new CellStatus(request.Cell, CellState.Failed, Error: "the grid requires a GPU and no silo with a GPU is available"));
            return;
        }
        var job = executor.GetOrStart(this.GetPrimaryKeyString(), request);
        state.State.Request = request;
        state.State.Status = job.Status;
        await state.WriteStateAsync();
        _poll ??= this.RegisterGrainTimer(Poll, new GrainTimerCreationOptions(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500))
        {
            KeepAlive = true,
            Interleave = true,
        });
    }

    private async Task Poll(CancellationToken ct)
    {
        var key = this.GetPrimaryKeyString();
        if (executor.Find(key) is not { } job) return;
        if (!job.Status.IsFinished)
        {
            state.State.Status = job.Status;
            return;
        }
        _poll?.Dispose();
        _poll = null;
        executor.Forget(key);
        await Finish(job.Request, job.Status);
    }

    private async Task Finish(CellRequest request, CellStatus status)
    {
        state.State.Request = request;
        state.State.Status = status;
        await state.WriteStateAsync();
        try
        {
            await GrainFactory.GetGrain<IGridGrain>(request.RunId).CellFinished(status);
        }
        catch (Exception e)
        {
            // The grid also polls its cells, so a lost notification only delays it.
            logger.LogWarning(e, "Could not notify grid {Run} that {Cell} finished", request.RunId, request.Cell);
        }
    }

    private CellStatus WithQueue(CellStatus status) =>
        status.State == CellState.Queued ? status with { WaitingOnSilo = executor.Waiting } : status;

    private CellKey CellKeyFromGrainKey()
    {
        var parts = this.GetPrimaryKeyString().Split('/');
        return new CellKey(parts[^5], parts[^4], parts[^3], parts[^2], int.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
