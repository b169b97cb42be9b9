using Unlearning.Experiments;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;

namespace Unlearning.Grains;

/// <summary>
/// The grid's own metrics (meter "Unlearning.Grid"), one instance per silo, created with the silo so
/// that an idle silo already exports its slots and zero counts. Names follow OpenTelemetry's
/// conventions; the Prometheus exporter adds the unit and <c>_total</c> suffixes
/// (<c>unlearning.cell.duration</c> in s is scraped as <c>unlearning_cell_duration_seconds</c>).
/// Two sources feed it: this silo's <see cref="CellExecutor"/> (slots, the cells it runs, their
/// epochs, steps, losses and durations) and the grid grains active on this silo (their run's cells),
/// which publish their status as they refresh it.
/// <para>A silo's series are bounded whatever the number of cells (a grid of 10,000 cells scrapes as
/// about 1,300 of this meter's series, most of them duration histograms): the executor's histograms and counters are labelled by dataset, model
/// and method (no profile or seed); a grid run exports its cells by state and by running silo, and its
/// attack AUC per dataset, model, method and attacker (the mean over its finished cells, with their
/// number); only running cells, then queued ones, at most <see cref="MetricsOptions.CellSeries"/>
/// (<c>Metrics__CellSeries</c>) on the silo, get series of their own (state, silo, position, ETA).
/// The loss is per cell running on this silo, bounded by its slots.</para>
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
    private readonly ConcurrentDictionary<string, GridSeries> _grids = new();
    private CellExecutor? _executor;

    /// <param name="configuration">Where <c>Metrics__CellSeries</c> is read from (the host's
    /// configuration); without one, the default.</param>
    public GridMetrics(SiloHardware hardware, IConfiguration? configuration = null)
    {
        _hardware = hardware;
        CellSeries = MetricsOptions.From(configuration).CellSeries;
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
        _meter.CreateObservableGauge("unlearning.grid.running", GridRunningBySilo, unit: "{cell}", description: "Running cells of each grid run active on this silo, by the silo running them");
        _meter.CreateObservableGauge("unlearning.grid.cell.info", GridCellInfo, description: "1 for each running, then queued, cell of the grid runs active on this silo (at most Metrics__CellSeries), labelled with its state and silo");
        _meter.CreateObservableGauge("unlearning.grid.cell.position", () => GridCellValues(c => c.Total > 0 ? c.Position : null), description: "Epoch (training) or step (unlearning) a running cell has reached (cells of unlearning.grid.cell.info)");
        _meter.CreateObservableGauge("unlearning.grid.cell.length", () => GridCellValues(c => c.Total > 0 ? c.Total : null), description: "Epochs or steps of the phase a running cell is in (cells of unlearning.grid.cell.info)");
        _meter.CreateObservableGauge("unlearning.grid.cell.eta", () => GridCellValues(c => c.EtaSeconds), unit: "s", description: "Expected seconds until a running cell finishes its phase (cells of unlearning.grid.cell.info)");
        _meter.CreateObservableGauge("unlearning.grid.attack.auc", AttackAucs, description: "Mean attack AUC of a grid run's finished cells, by dataset, model, method and attacker (0.5: the attribute is hidden)");
        _meter.CreateObservableGauge("unlearning.grid.attack.cells", AttackCells, unit: "{cell}", description: "Finished cells averaged in unlearning.grid.attack.auc");
    }

    /// <summary>How many running or queued cells get series of their own on this silo (<c>Metrics__CellSeries</c>).</summary>
    public int CellSeries { get; }

    /// <summary>The meter of this instance (tests listen to it alone; several silos may share a process).</summary>
    public Meter Meter => _meter;

    /// <summary>The executor of this silo (created on first use, after the metrics).</summary>
    internal void Attach(CellExecutor executor) => _executor = executor;

    /// <summary>A grid grain publishes its run's latest status; <see cref="Forget"/> on deactivation.</summary>
    public void Publish(GridStatus status) => _grids[status.RunId] = new GridSeries(status, CellSeries);

    public void Forget(string runId) => _grids.TryRemove(runId, out _);

    public void CellFinished(CellStatus status, string device)
    {
        if (status.SlotSeconds() is { } seconds && !status.Reused)
            _cellDuration.Record(seconds, [.. Kind(status.Cell), new("device", device), new("state", StateName(status.State))]);
    }

    public void EpochDone(CellSpec cell, string device, double seconds)
    {
        _epochDuration.Record(seconds, [.. Kind(cell), new("device", device)]);
        _epochs.Add(1, Kind(cell));
    }

    public void StepsDone(CellSpec cell, int steps)
    {
        if (steps > 0) _steps.Add(steps, Kind(cell));
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
        {
            var counts = grid.Counts;
            foreach (var state in Enum.GetValues<CellState>())
                yield return new(counts[(int)state], new KeyValuePair<string, object?>("run", grid.RunId), new KeyValuePair<string, object?>("state", StateName(state)));
        }
    }

    private IEnumerable<Measurement<int>> GridRunningBySilo()
    {
        foreach (var grid in _grids.Values)
            foreach (var (silo, cells) in grid.RunningBySilo)
                yield return new(cells, new KeyValuePair<string, object?>("run", grid.RunId), new KeyValuePair<string, object?>("silo", silo));
    }

    /// <summary>The cells with series of their own: of every run active on this silo, running cells
    /// then queued ones in <see cref="GridSeries.Order"/>, at most <see cref="CellSeries"/>.</summary>
    private List<(string Run, CellStatus Cell)> SelectedCells()
    {
        var cells = new List<(string Run, CellStatus Cell)>();
        foreach (var grid in _grids.Values)
            foreach (var c in grid.Candidates) cells.Add((grid.RunId, c));
        if (_grids.Count > 1) cells.Sort((a, b) => GridSeries.Order(a.Run, a.Cell, b.Run, b.Cell));
        if (cells.Count > CellSeries) cells.RemoveRange(CellSeries, cells.Count - CellSeries);
        return cells;
    }

    private IEnumerable<Measurement<int>> GridCellInfo()
    {
        foreach (var (run, c) in SelectedCells())
            yield return new(1, [.. Identity(c.Cell, run), new("state", StateName(c.State)), new("silo", c.Silo ?? "")]);
    }

    private IEnumerable<Measurement<double>> GridCellValues(Func<CellStatus, double?> value)
    {
        foreach (var (run, c) in SelectedCells())
            if (value(c) is { } v)
                yield return new(v, [.. Identity(c.Cell, run), new("phase", c.Phase ?? "")]);
    }

    private IEnumerable<Measurement<double>> AttackAucs()
    {
        foreach (var grid in _grids.Values)
            foreach (var a in grid.Attacks)
                yield return new(a.Auc, AttackLabels(grid.RunId, a));
    }

    private IEnumerable<Measurement<int>> AttackCells()
    {
        foreach (var grid in _grids.Values)
            foreach (var a in grid.Attacks)
                yield return new(a.Cells, AttackLabels(grid.RunId, a));
    }

    private static KeyValuePair<string, object?>[] AttackLabels(string run, GridSeries.AttackMean a) =>
        [new("run", run), new("dataset", a.Dataset), new("model", a.Model), new("method", a.Method), new("attacker", a.Attacker)];

    /// <summary>The labels of the executor's histograms and counters: what kind of cell, not which
    /// one (a sweep's profiles and seeds would make a series per cell).</summary>
    private static KeyValuePair<string, object?>[] Kind(CellSpec cell) =>
        [new("dataset", cell.Dataset), new("model", cell.Model), new("method", cell.Method)];

    /// <summary>The labels of one cell's own series (bounded by <see cref="CellSeries"/> or the slots).</summary>
    private static KeyValuePair<string, object?>[] Identity(CellSpec cell, string run) =>
    [
        new("run", run), new("dataset", cell.Dataset), new("model", cell.Model), new("method", cell.Method),
        new("profile", cell.Profile), new("seed", cell.Seed),
    ];

    public static string StateName(CellState state) => state switch
    {
        CellState.WaitingForInputs => "waiting_for_inputs",
        _ => state.ToString().ToLowerInvariant(),
    };

    public void Dispose() => _meter.Dispose();
}
