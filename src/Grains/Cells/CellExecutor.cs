using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unlearning.Experiments;

namespace Unlearning.Grains;

/// <summary>
/// Runs cells on dedicated threads of this silo, at most <c>Slots</c> at once (the rest wait in
/// FIFO order). TorchSharp's dispose scopes are per thread, so each cell keeps one thread; grains
/// never block on it, they read <see cref="CellJob.Status"/>.
/// </summary>
public sealed class CellExecutor : IDisposable
{
    private readonly ConcurrentDictionary<string, CellJob> _jobs = new();
    private readonly SlotQueue _slots;
    private readonly ILogger<CellExecutor> _logger;
    private readonly string _siloName;

    private readonly ICellEngine _engine;
    private readonly TimeSpan? _timeLimit;

    public CellExecutor(IOptions<CellExecutorOptions> options, IOptions<StorageOptions> storage, SiloHardware hardware, GridMetrics metrics, ILogger<CellExecutor> logger, ILocalSiloDetails silo)
    {
        var store = storage.Value.Validate();
        _engine = options.Value.Simulated
            ? new SimulatedCellEngine(store.Artifacts, options.Value.SimulatedSeconds ?? 1, options.Value.SimulatedJitter ?? 0.1)
            : new TorchCellEngine(store);
        if (options.Value.Simulated)
            logger.LogWarning("Cells__Engine=simulated: this silo computes nothing; its cells hold a slot for {Seconds} s and every result it stores is made up and says \"simulated\" (control-plane benchmarks only)", options.Value.SimulatedSeconds ?? 1);
        _timeLimit = options.Value.TimeLimit;
        DrainTimeout = options.Value.DrainTimeout ?? TimeSpan.Zero;
        MaxAttempts = options.Value.MaxAttempts;
        _logger = logger;
        _siloName = silo.Name;
        Hardware = hardware;
        Slots = hardware.Slots;
        Device = options.Value.Device;
        SlotsPerGpu = hardware.SlotsPerGpu;
        _slots = new SlotQueue(Slots);
        _drainEnds = new Lazy<Task>(() => Task.Delay(DrainTimeout));
        Metrics = metrics;
        metrics.Attach(this);
    }

    public GridMetrics Metrics { get; }

    /// <summary>How long running cells may go on once the silo stops (<see cref="CellExecutorOptions.DrainTimeout"/>).</summary>
    public TimeSpan DrainTimeout { get; }

    private readonly Lazy<Task> _drainEnds;

    /// <summary>Completes when the drain that the silo's stop began is over: one window for the whole
    /// silo, started by the first cell that asks (they are all stopped together).</summary>
    public Task DrainEnds => _drainEnds.Value;
    public int MaxAttempts { get; }

    public SiloHardware Hardware { get; }
    public int Slots { get; }
    public string Device { get; }
    private int SlotsPerGpu { get; }
    public int Running => _slots.Busy;
    /// <summary>Cells waiting for a device slot.</summary>
    public int Waiting => _slots.Waiting;

    public CellJob GetOrStart(string key, CellRequest request, int attempt) => _jobs.GetOrAdd(key, _ =>
    {
        var job = new CellJob(request, attempt);
        job.Status = job.Status with { Silo = _siloName };
        var thread = new Thread(() => Execute(job), maxStackSize: 16 << 20) { IsBackground = true, Name = $"cell {request.Cell}" };
        thread.Start();
        return job;
    });

    public IEnumerable<CellJob> Jobs => _jobs.Values;

    public CellJob? Find(string key) => _jobs.TryGetValue(key, out var job) ? job : null;

    public void Forget(string key) => _jobs.TryRemove(key, out _);

    private void Execute(CellJob job)
    {
        var cell = job.Request.Cell;
        int slot;
        try
        {
            slot = _slots.Acquire(job.Request.Priority, job.Cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            job.Status = Stopped(job, job.Status);
            job.MarkEnded();
            return;
        }
        var device = DeviceAssignment.For(slot, Hardware.Gpus, SlotsPerGpu, Device);
        job.Status = job.Status with { State = CellState.Running, Silo = _siloName, Slot = slot, Detail = $"started on {device}", StartedAt = DateTimeOffset.Now };
        using var timer = _timeLimit is { } l ? new Timer(_ => job.Stop(StopReason.TimeLimit, $"it ran longer than the cell time limit of {l} (Cells__TimeLimit)"), null, l, Timeout.InfiniteTimeSpan) : null;
        try
        {
            var outcome = _engine.Run(job.Request, device, p => job.Status = WithProgress(job, device, p), job.Cancellation.Token);
            job.Status = job.Status with
            {
                State = CellState.Done,
                Reused = outcome.Reused,
                ResultPath = outcome.ResultPath,
                Detail = outcome.Reused ? "reused a finished result" : $"done in {outcome.WallSeconds:F1}s",
                Result = outcome.Summary,
                EtaSeconds = 0,
                FinishedAt = DateTimeOffset.Now,
            };
        }
        catch (OperationCanceledException) when (job.Reason != StopReason.None)
        {
            _logger.LogInformation("Cell {Cell} stopped: {Reason}", cell, job.Reason);
            job.Status = Stopped(job, job.Status);
        }
        catch (Exception e)
        {
            // A failure that explains itself is logged in its own words; anything else is a bug, with its stack trace.
            if (ExplainedFailure.Is(e)) _logger.LogInformation("Cell {Cell} failed: {Error}", cell, e.Message);
            else _logger.LogWarning(e, "Cell {Cell} failed", cell);
            job.Status = job.Status with { State = CellState.Failed, Error = ExplainedFailure.Describe(e), EtaSeconds = null, FinishedAt = DateTimeOffset.Now };
        }
        finally
        {
            if (job.Status.IsFinished) Metrics.CellFinished(job.Status, device);
            if (!_disposed) _slots.Release(slot);
            job.MarkEnded();
        }
    }

    private CellStatus WithProgress(CellJob job, string device, Unlearning.Training.TrainingProgress p)
    {
        var status = job.Status;
        if (p.Phase == "resume") return status with { ResumedFrom = p.Detail, Detail = $"resumed from its checkpoint {p.Detail}" };
        if (p.EpochSeconds is { } epoch) Metrics.EpochDone(status.Cell, device, epoch);
        // Unlearning reports every few steps; a resumed run's first report only sets where it stands.
        if (p.Phase == "unlearn")
        {
            bool continuing = status.Phase == "unlearn";
            if (continuing || status.ResumedFrom is null) Metrics.StepsDone(status.Cell, p.Position - (continuing ? status.Position : 0));
        }
        return status with { Phase = p.Phase, Position = p.Position, Total = p.Total, Loss = p.Loss, EtaSeconds = p.Remaining?.TotalSeconds, Detail = p.Detail };
    }

    /// <summary>A stopped job: cancelled and over-time cells fail saying why; a cell stopped because its
    /// silo is shutting down stays unfinished, so that its grain resumes it elsewhere.</summary>
    private static CellStatus Stopped(CellJob job, CellStatus status) => job.Reason switch
    {
        StopReason.SiloStopping => status with { Detail = "interrupted: its silo is shutting down (it resumes from its checkpoint on another silo)" },
        _ => status with { State = CellState.Failed, Error = $"cancelled: {job.StopDetail ?? "stopped"}", EtaSeconds = null, FinishedAt = DateTimeOffset.Now },
    };

    private volatile bool _disposed;

    /// <summary>Silo shutdown: running cells stop at their next check, saving a checkpoint (a grain
    /// activated elsewhere resumes them).</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var job in _jobs.Values) job.Stop(StopReason.SiloStopping);
    }
}
