using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unlearning.Experiments;

namespace Unlearning.Grains;

/// <summary>Per-silo limits on cells running at once.</summary>
public sealed class CellExecutorOptions
{
    /// <summary>Cells at once on this silo. Null: one per GPU x <see cref="SlotsPerGpu"/>, or one
    /// per core on a CPU-only silo (each cell uses one TorchSharp thread).</summary>
    public int? Slots { get; set; }
    public int SlotsPerGpu { get; set; } = 1;

    /// <summary>GPUs this silo announces. Null: detected through TorchSharp.</summary>
    public int? Gpus { get; set; }

    /// <summary>Engine device: auto (CUDA when present), cpu, cuda or cuda:N.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>Throws naming the setting (as an environment variable) and its bad value.</summary>
    public CellExecutorOptions Validate()
    {
        if (Slots is < 1) throw new ArgumentException($"Cells__Slots must be at least 1, got {Slots}");
        if (SlotsPerGpu < 1) throw new ArgumentException($"Cells__SlotsPerGpu must be at least 1, got {SlotsPerGpu}");
        if (Gpus is < 0) throw new ArgumentException($"Cells__Gpus must not be negative, got {Gpus}");
        if (Device is not ("auto" or "cpu" or "cuda") && !(Device.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(Device.AsSpan(5), out int index) && index >= 0))
            throw new ArgumentException($"Cells__Device must be auto, cpu, cuda or cuda:N, got '{Device}'");
        return this;
    }
}

/// <summary>A cell's work on this silo, read by its grain: state, progress, and the outcome.</summary>
public sealed class CellJob(CellRequest request)
{
    private volatile CellStatus _status = new(request.Cell, CellState.Queued, QueuedAt: DateTimeOffset.Now);
    public CellRequest Request { get; } = request;
    public CancellationTokenSource Cancellation { get; } = new();
    public CellStatus Status { get => _status; internal set => _status = value; }
}

/// <summary>
/// Runs cells on dedicated threads of this silo, at most <c>Slots</c> at once (the rest wait in
/// FIFO order). TorchSharp's dispose scopes are per thread, so each cell keeps one thread; grains
/// never block on it, they read <see cref="CellJob.Status"/>.
/// </summary>
public sealed class CellExecutor : IDisposable
{
    private readonly ConcurrentDictionary<string, CellJob> _jobs = new();
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentQueue<int> _freeSlots = new();
    private readonly ILogger<CellExecutor> _logger;
    private readonly string _siloName;
    private long _waiting;

    public CellExecutor(IOptions<CellExecutorOptions> options, SiloHardware hardware, ILogger<CellExecutor> logger, ILocalSiloDetails silo)
    {
        _logger = logger;
        _siloName = silo.Name;
        Hardware = hardware;
        Slots = hardware.Slots;
        Device = options.Value.Device;
        SlotsPerGpu = Math.Max(1, options.Value.SlotsPerGpu);
        _slots = new SemaphoreSlim(Slots, Slots);
        for (int i = 0; i < Slots; i++) _freeSlots.Enqueue(i);
        Metrics = new GridMetrics(() => (Running, Waiting, Slots, Hardware.Gpus));
    }

    public GridMetrics Metrics { get; }

    public SiloHardware Hardware { get; }
    public int Slots { get; }
    public string Device { get; }
    private int SlotsPerGpu { get; }
    public int Running => Slots - _slots.CurrentCount;
    public int Waiting => (int)Interlocked.Read(ref _waiting);

    public CellJob GetOrStart(string key, CellRequest request) => _jobs.GetOrAdd(key, _ =>
    {
        var job = new CellJob(request);
        job.Status = job.Status with { Silo = _siloName };
        Interlocked.Increment(ref _waiting);
        var thread = new Thread(() => Execute(job), maxStackSize: 16 << 20) { IsBackground = true, Name = $"cell {request.Cell}" };
        thread.Start();
        return job;
    });

    public CellJob? Find(string key) => _jobs.TryGetValue(key, out var job) ? job : null;

    public void Forget(string key) => _jobs.TryRemove(key, out _);

    private void Execute(CellJob job)
    {
        var cell = job.Request.Cell;
        _slots.Wait();
        Interlocked.Decrement(ref _waiting);
        _freeSlots.TryDequeue(out int slot);
        var device = DeviceAssignment.For(slot, Hardware.Gpus, SlotsPerGpu, Device);
        job.Status = job.Status with { State = CellState.Running, Silo = _siloName, Slot = slot, Detail = $"started on {device}", StartedAt = DateTimeOffset.Now };
        try
        {
            var settings = new EngineSettings { DataDir = job.Request.Settings.DataDir, OutDir = job.Request.Settings.OutDir, Device = device, Threads = 1 };
            var runner = new CellRunner(settings, p =>
            {
                job.Status = job.Status with
                {
                    Phase = p.Report.Phase,
                    Position = p.Report.Position,
                    Total = p.Report.Total,
                    Loss = p.Report.Loss,
                    EtaSeconds = p.Report.Remaining?.TotalSeconds,
                    Detail = p.Report.Detail,
                };
                if (p.Report.EpochSeconds is { } epoch) Metrics.Epoch(epoch, p.Report.Loss);
                else if (p.Report.Phase == "unlearn") Metrics.Checkpoint(p.Report.Loss);
            });
            var spec = new CellSpec(cell.Dataset, cell.Model, cell.Method, cell.Profile, cell.Seed);
            var (result, reused) = runner.RunOrReuse(spec, job.Cancellation.Token);
            job.Status = job.Status with
            {
                State = CellState.Done,
                Reused = reused,
                ResultPath = result.ResultPath,
                Detail = reused ? "reused a finished result" : $"done in {result.Timing.WallSeconds:F1}s",
                Result = new CellSummary(result.Recommendation,
                    result.Attacks.ToDictionary(a => a.Attacker, a => new AttackSummary(a.Mean.Accuracy, a.Mean.Precision, a.Mean.Recall, a.Mean.Auc)),
                    result.Timing.MethodSeconds, result.Timing.WallSeconds, result.Device),
                EtaSeconds = 0,
                FinishedAt = DateTimeOffset.Now,
            };
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Cell {Cell} failed", cell);
            job.Status = job.Status with { State = CellState.Failed, Error = $"{e.GetType().Name}: {e.Message}", EtaSeconds = null, FinishedAt = DateTimeOffset.Now };
        }
        finally
        {
            Metrics.CellFinished(job.Status);
            _freeSlots.Enqueue(slot);
            if (!_disposed) _slots.Release();
        }
    }

    private volatile bool _disposed;

    /// <summary>Silo shutdown: running cells are cancelled (a grain activated elsewhere resumes them).</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var job in _jobs.Values) job.Cancellation.Cancel();
        Metrics.Dispose();
    }
}
