using Unlearning.Experiments;
using Microsoft.Extensions.Logging;

namespace Unlearning.Grains;

/// <summary>
/// A cell: hands its work to the silo's <see cref="CellExecutor"/> and returns at once; when the job
/// ends (awaited in the grain's context, as Orleans' guidance for external tasks has it) it persists
/// the outcome and tells its grid, once. A slow keep-alive timer also checks the job, a safety net
/// that keeps the activation alive while its cell runs. An activation that finds
/// its persisted cell unfinished (its silo died or stopped) starts it again here, where the engine
/// continues from the cell's last checkpoint, up to <see cref="CellExecutorOptions.MaxAttempts"/> silos.
/// </summary>
[GpuPreferredPlacement]
public sealed class CellGrain(
    [PersistentState("cell", GridStorage.Name)] IPersistentState<CellGrainState> state,
    CellExecutor executor,
    ILogger<CellGrain> logger) : Grain, ICellGrain
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SafetyPoll = TimeSpan.FromSeconds(10);
    private IGrainTimer? _poll;

    private string Key => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State is not { Request: { } request, Status: { IsFinished: false } status }) return;
        if (state.State.Attempts >= executor.MaxAttempts)
        {
            await Finish(request, status with
            {
                State = CellState.Failed,
                Error = $"its silo was lost {state.State.Attempts} time{(state.State.Attempts == 1 ? "" : "s")} while running it (retry budget Cells__MaxAttempts = {executor.MaxAttempts}); giving up",
                FinishedAt = DateTimeOffset.Now,
            });
            return;
        }
        logger.LogInformation("Resuming unfinished cell {Cell} on this silo (attempt {Attempt})", request.Cell, state.State.Attempts + 1);
        await Submit(request);
    }

    /// <summary>A silo shutting down stops the cell at its next check, which saves a checkpoint, and
    /// hands the attempt back: the cell is resumed, not counted as lost. A silo that drains
    /// (<see cref="CellExecutorOptions.DrainTimeout"/>) first lets a running cell go on until the drain
    /// ends; one that finishes meanwhile is recorded as done here.</summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (executor.Find(Key) is not { } job || job.Status.IsFinished) return;
        if (reason.ReasonCode == DeactivationReasonCode.ShuttingDown && job.Status.State == CellState.Running && executor.DrainTimeout > TimeSpan.Zero)
        {
            logger.LogInformation("Cell {Cell} may run on for the silo's drain (Cells__DrainTimeout {Drain})", job.Request.Cell, executor.DrainTimeout);
            await Task.WhenAny(job.Ended, executor.DrainEnds);
            if (job.Status.IsFinished)
            {
                await Ended(job);
                return;
            }
        }
        job.Stop(StopReason.SiloStopping);
        await Task.WhenAny(job.Ended, Task.Delay(StopWait, CancellationToken.None));
        if (job.Status.IsFinished) return;
        executor.Forget(Key);
        state.State.Attempts = Math.Max(0, state.State.Attempts - 1);
        state.State.Status = job.Status;
        await StateWrites.WithRetry(state.WriteStateAsync, logger, $"the state of cell {Key}");
        logger.LogInformation("Cell {Cell} stopped for the silo's shutdown ({Detail})", job.Request.Cell, job.Status.ResumedFrom ?? "checkpointed");
    }

    public async Task<CellStatus> Start(CellRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CellGrainKey.Of(request.RunId, request.Cell) != Key)
            throw new ArgumentException($"cell {request.Cell} of run {request.RunId} sent to grain {Key}");
        if (state.State.Status is { } existing && (existing.IsFinished || _poll is not null))
            return existing;
        await Submit(request);
        return state.State.Status!;
    }

    public Task<CellStatus> GetStatus()
    {
        if (executor.Find(Key) is { } job && !(state.State.Status?.IsFinished ?? false))
            return Task.FromResult(WithQueue(job.Status));
        return Task.FromResult(state.State.Status ?? new CellStatus(CellFromGrainKey(), CellState.Pending));
    }

    /// <summary>Called by the grid, which takes the returned status (no notification back: the grid is waiting on this call).</summary>
    public async Task<CellStatus> Cancel(string reason)
    {
        if (state.State.Status is { IsFinished: true } finished) return finished;
        var status = (state.State.Status ?? new CellStatus(CellFromGrainKey(), CellState.Pending)) with
        {
            State = CellState.Failed, Error = $"cancelled: {reason}", FinishedAt = DateTimeOffset.Now,
        };
        if (executor.Find(Key) is { } job)
        {
            job.Stop(StopReason.Cancelled, reason);
            await Task.WhenAny(job.Ended, Task.Delay(StopWait));
            if (job.Status.IsFinished) status = job.Status;
            Detach();
        }
        state.State.Status = status;
        await StateWrites.WithRetry(state.WriteStateAsync, logger, $"the state of cell {Key}");
        return status;
    }

    private async Task Submit(CellRequest request)
    {
        if (!request.Settings.AllowCpu && executor.Hardware.Gpus == 0)
        {
            await Finish(request, new CellStatus(request.Cell, CellState.Failed, Error: "the grid requires a GPU and no silo with a GPU is available"));
            return;
        }
        state.State.Attempts++;
        var job = executor.GetOrStart(Key, request, state.State.Attempts);
        state.State.Request = request;
        state.State.Status = job.Status;
        await StateWrites.WithRetry(state.WriteStateAsync, logger, $"the state of cell {Key}");
        if (_poll is null)
        {
            _poll = this.RegisterGrainTimer(Poll, new GrainTimerCreationOptions(SafetyPoll, SafetyPoll)
            {
                KeepAlive = true,
                Interleave = true,
            });
            _ = WhenEnded(job);
        }
    }

    /// <summary>The push: resumes in this grain's context when the job's thread lets go of its slot.</summary>
    private async Task WhenEnded(CellJob job)
    {
        await job.Ended;
        await Ended(job);
    }

    private Task Poll(CancellationToken ct) => executor.Find(Key) is { Status.IsFinished: true } job ? Ended(job) : Task.CompletedTask;

    /// <summary>Records a finished job once, whichever of the push and the safety poll sees it first.</summary>
    private async Task Ended(CellJob job)
    {
        if (executor.Find(Key) != job || !job.Status.IsFinished) return; // cancelled, stopped for shutdown, or already recorded
        Detach();
        await Finish(job.Request, job.Status);
    }

    /// <summary>Stops polling and drops the finished (or abandoned) job from the executor.</summary>
    private void Detach()
    {
        _poll?.Dispose();
        _poll = null;
        executor.Forget(Key);
    }

    private async Task Finish(CellRequest request, CellStatus status)
    {
        state.State.Request = request;
        state.State.Status = status;
        await StateWrites.WithRetry(state.WriteStateAsync, logger, $"the state of cell {Key}");
        // Not awaited: the grid may be waiting on this cell (starting or asking it), and it also polls
        // the cells it handed out, so a lost notification only delays it.
        _ = Notify(request, status);
    }

    private async Task Notify(CellRequest request, CellStatus status)
    {
        try
        {
            await GrainFactory.GetGrain<IGridGrain>(request.RunId).CellFinished(status);
        }
        catch (Exception e)
        {
            logger.LogWarning("Could not notify grid {Run} that {Cell} finished ({Error})", request.RunId, request.Cell, e.GetBaseException().Message);
        }
    }

    private CellStatus WithQueue(CellStatus status) =>
        status.State == CellState.Queued ? status with { WaitingOnSilo = executor.Waiting } : status;

    private CellSpec CellFromGrainKey() => CellGrainKey.Parse(Key).Cell;
}
