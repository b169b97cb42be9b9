using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Unlearning.Grains;

/// <summary>
/// The grid's own metrics (meter "Unlearning.Grid"), one instance per silo, created with the silo so
/// that an idle silo already exports its slots and zero counts. Names follow OpenTelemetry's
/// conventions; the Prometheus exporter adds the unit and <c>_total</c> suffixes
/// (<c>unlearning.cell.duration</c> in s is scraped as <c>unlearning_cell_duration_seconds</c>).
/// Two sources feed it: this silo's <see cref="CellExecutor"/> (slots, the cells it runs, their
/// epochs, steps, losses and durations) and the grid grains active on this silo (every cell of their
/// run: state, progress, attack AUC), which publish their status as they refresh it.
/// </summary>
public sealed class GridMetrics : IDisposable
{
    public const string MeterName = "Unlearning.Grid";

    private readonly Meter _meter = new(MeterName);
    private readonly SiloHardware _hardware;
    private readonly Histogram<double> _cellDuration;
    private readonly Histogram<double> _epochDuration;
    private readonly Counter<long> _epochs;
    private readonly Counter<long> _steps;
    private readonly ConcurrentDictionary<string, GridStatus> _grids = new();
    private CellExecutor? _executor;

    public GridMetrics(SiloHardware hardware)
    {
        _hardware = hardware;
        _meter.CreateObservableGauge("unlearning.device.slots", SlotMeasurements, unit: "{slot}", description: "Device slots of this silo, by state (busy, free)");
        _meter.CreateObservableGauge("unlearning.cells.waiting", () => _executor?.Waiting ?? 0, unit: "{cell}", description: "Cells queued on this silo for a free device slot");
        _meter.CreateObservableGauge("unlearning.gpus", () => _hardware.Gpus, unit: "{gpu}", description: "GPUs this silo announces");
        _meter.CreateObservableGauge("unlearning.device.memory.usage", DeviceMemory, unit: "By", description: "Memory in use on this silo's devices: each GPU's (NVML) where present, else the process's resident set");
        _meter.CreateObservableGauge("unlearning.cell.loss", CellLosses, description: "Latest loss of each cell running on this silo (training epoch or unlearning checkpoint)");
        _cellDuration = _meter.CreateHistogram<double>("unlearning.cell.duration", unit: "s", description: "Wall time of cells computed on this silo, from taking a slot to finishing",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400] });
        _epochDuration = _meter.CreateHistogram<double>("unlearning.epoch.duration", unit: "s", description: "Training time per epoch",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800, 3600] });
        _epochs = _meter.CreateCounter<long>("unlearning.training.epochs", unit: "{epoch}", description: "Training epochs completed on this silo");
        _steps = _meter.CreateCounter<long>("unlearning.unlearning.steps", unit: "{step}", description: "Post-training unlearning steps completed on this silo");

        _meter.CreateObservableGauge("unlearning.grid.cells", GridCellCounts, unit: "{cell}", description: "Cells of each grid run active on this silo, by state");
        _meter.CreateObservableGauge("unlearning.grid.cell.info", GridCellInfo, description: "1 for each cell of a grid run active on this silo, labelled with its state and silo");
        _meter.CreateObservableGauge("unlearning.grid.cell.position", () => GridCellValues(c => c.Total > 0 ? c.Position : null), description: "Epoch (training) or step (unlearning) a started cell has reached");
        _meter.CreateObservableGauge("unlearning.grid.cell.length", () => GridCellValues(c => c.Total > 0 ? c.Total : null), description: "Epochs or steps of the phase a started cell is in");
        _meter.CreateObservableGauge("unlearning.grid.cell.eta", () => GridCellValues(c => c.IsFinished ? null : c.EtaSeconds), unit: "s", description: "Expected seconds until a running cell finishes its phase");
        _meter.CreateObservableGauge("unlearning.grid.attack.auc", AttackAucs, description: "Attack AUC of each finished cell, by attacker (0.5: the attribute is hidden)");
    }

    /// <summary>The executor of this silo (created on first use, after the metrics).</summary>
    internal void Attach(CellExecutor executor) => _executor = executor;

    /// <summary>A grid grain publishes its run's latest status; <see cref="Forget"/> on deactivation.</summary>
    public void Publish(GridStatus status) => _grids[status.RunId] = status;

    public void Forget(string runId) => _grids.TryRemove(runId, out _);

    public void CellFinished(CellStatus status, string device)
    {
        if (status.SlotSeconds() is { } seconds && !status.Reused)
            _cellDuration.Record(seconds, [.. Identity(status.Cell, withRun: null), new("device", device), new("state", StateName(status.State))]);
    }

    public void EpochDone(CellKey cell, string device, double seconds)
    {
        _epochDuration.Record(seconds, [.. Identity(cell, withRun: null), new("device", device)]);
        _epochs.Add(1, Identity(cell, withRun: null));
    }

    public void StepsDone(CellKey cell, int steps)
    {
        if (steps > 0) _steps.Add(steps, Identity(cell, withRun: null));
    }

    private IEnumerable<Measurement<int>> SlotMeasurements()
    {
        int busy = _executor?.Running ?? 0;
        yield return new(busy, new KeyValuePair<string, object?>("state", "busy"));
        yield return new(_hardware.Slots - busy, new KeyValuePair<string, object?>("state", "free"));
    }

    private IEnumerable<Measurement<long>> DeviceMemory()
    {
        var gpus = _hardware.Gpus > 0 ? GpuMemory.UsedBytes() : null;
        if (gpus is not null)
        {
            for (int i = 0; i < gpus.Count; i++) yield return new(gpus[i], new KeyValuePair<string, object?>("device", $"cuda:{i}"));
        }
        else
        {
            yield return new(Environment.WorkingSet, new KeyValuePair<string, object?>("device", "cpu"));
        }
    }

    private IEnumerable<Measurement<double>> CellLosses()
    {
        if (_executor is null) yield break;
        foreach (var job in _executor.Jobs)
        {
            var s = job.Status;
            if (s.State == CellState.Running && double.IsFinite(s.Loss) && s.Phase is { } phase)
                yield return new(s.Loss, [.. Identity(s.Cell, job.Request.RunId), new("phase", phase)]);
        }
    }

    private IEnumerable<Measurement<int>> GridCellCounts()
    {
        foreach (var grid in _grids.Values)
            foreach (var state in Enum.GetValues<CellState>())
                yield return new(grid.Count(state), new KeyValuePair<string, object?>("run", grid.RunId), new KeyValuePair<string, object?>("state", StateName(state)));
    }

    private IEnumerable<Measurement<int>> GridCellInfo()
    {
        foreach (var grid in _grids.Values)
            foreach (var c in grid.Cells)
                yield return new(1, [.. Identity(c.Cell, grid.RunId), new("state", StateName(c.State)), new("silo", c.Silo ?? "")]);
    }

    private IEnumerable<Measurement<double>> GridCellValues(Func<CellStatus, double?> value)
    {
        foreach (var grid in _grids.Values)
            foreach (var c in grid.Cells)
                if (value(c) is { } v)
                    yield return new(v, [.. Identity(c.Cell, grid.RunId), new("phase", c.Phase ?? "")]);
    }

    private IEnumerable<Measurement<double>> AttackAucs()
    {
        foreach (var grid in _grids.Values)
            foreach (var c in grid.Cells)
                if (c is { State: CellState.Done, Result: { } result })
                    foreach (var (attacker, summary) in result.Attacks)
                        yield return new(summary.Auc, [.. Identity(c.Cell, grid.RunId), new("attacker", attacker)]);
    }

    private static KeyValuePair<string, object?>[] Identity(CellKey cell, string? withRun)
    {
        KeyValuePair<string, object?>[] labels =
        [
            new("dataset", cell.Dataset), new("model", cell.Model), new("method", cell.Method),
            new("profile", cell.Profile), new("seed", cell.Seed),
        ];
        return withRun is null ? labels : [new("run", withRun), .. labels];
    }

    public static string StateName(CellState state) => state switch
    {
        CellState.WaitingForInputs => "waiting_for_inputs",
        _ => state.ToString().ToLowerInvariant(),
    };

    public void Dispose() => _meter.Dispose();
}
