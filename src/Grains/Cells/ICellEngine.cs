using Unlearning.Training;

namespace Unlearning.Grains;

/// <summary>What computes a cell on a silo's executor thread: the TorchSharp engine
/// (<see cref="TorchCellEngine"/>), or, for control-plane benchmarks only, <see cref="SimulatedCellEngine"/>.</summary>
public interface ICellEngine
{
    /// <summary>Computes (or reuses) the cell on <paramref name="device"/>, reporting progress; throws
    /// <see cref="OperationCanceledException"/> when <paramref name="ct"/> stops it.</summary>
    CellOutcome Run(CellRequest request, string device, Action<TrainingProgress> progress, CancellationToken ct);
}
