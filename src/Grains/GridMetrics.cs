using System.Diagnostics.Metrics;

namespace Unlearning.Grains;

/// <summary>The grid's own metrics (meter "Unlearning.Grid"), exported by each silo next to Orleans' meter.</summary>
public sealed class GridMetrics : IDisposable
{
    public const string MeterName = "Unlearning.Grid";

    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _cellSeconds;
    private readonly Histogram<double> _epochSeconds;
    private readonly Counter<long> _cellsFinished;
    private double _lastLoss = double.NaN;

    public GridMetrics(Func<(int Running, int Waiting, int Slots, int Gpus)> load)
    {
        _meter.CreateObservableGauge("unlearning_cells_running", () => load().Running, description: "Cells running on this silo");
        _meter.CreateObservableGauge("unlearning_cells_waiting", () => load().Waiting, description: "Cells queued for a device slot on this silo");
        _meter.CreateObservableGauge("unlearning_device_slots", () => load().Slots, description: "Cells this silo runs at once");
        _meter.CreateObservableGauge("unlearning_gpus", () => load().Gpus, description: "GPUs this silo announces");
        _meter.CreateObservableGauge("unlearning_last_loss", () => _lastLoss, description: "Loss of the latest epoch or unlearning checkpoint");
        _meter.CreateObservableGauge("unlearning_process_memory_bytes", () => Environment.WorkingSet, unit: "By", description: "Working set of the silo process");
        _cellSeconds = _meter.CreateHistogram<double>("unlearning_cell_seconds", unit: "s", description: "Wall time of finished cells");
        _epochSeconds = _meter.CreateHistogram<double>("unlearning_epoch_seconds", unit: "s", description: "Training time per epoch");
        _cellsFinished = _meter.CreateCounter<long>("unlearning_cells_finished", description: "Cells finished, by state");
    }

    public void CellFinished(CellStatus status)
    {
        _cellsFinished.Add(1, new KeyValuePair<string, object?>("state", status.State.ToString().ToLowerInvariant()),
            new KeyValuePair<string, object?>("method", status.Cell.Method), new KeyValuePair<string, object?>("model", status.Cell.Model));
        if (status.SlotSeconds() is { } seconds && !status.Reused)
            _cellSeconds.Record(seconds, new KeyValuePair<string, object?>("method", status.Cell.Method), new KeyValuePair<string, object?>("model", status.Cell.Model));
    }

    public void Epoch(double seconds, double loss)
    {
        _epochSeconds.Record(seconds);
        _lastLoss = loss;
    }

    public void Checkpoint(double loss) => _lastLoss = loss;

    public void Dispose() => _meter.Dispose();
}
