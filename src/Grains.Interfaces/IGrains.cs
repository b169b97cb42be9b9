using Unlearning.Experiments;
using Orleans.Concurrency;

namespace Unlearning.Grains;

/// <summary>One cell of one grid run (key: <see cref="CellGrainKey.Of"/>). Runs the engine on a
/// dedicated thread of its silo; status calls interleave with the work.</summary>
[Alias("Unlearning.ICellGrain")]
public interface ICellGrain : IGrainWithStringKey
{
    /// <summary>Queues the cell on its silo and returns at once. Starting a started cell does nothing.</summary>
    [Alias("Start")]
    Task<CellStatus> Start(CellRequest request);

    [Alias("GetStatus"), AlwaysInterleave]
    Task<CellStatus> GetStatus();

    /// <summary>Stops the cell if it has not finished (it fails as cancelled) and frees its slot.</summary>
    [Alias("Cancel"), AlwaysInterleave]
    Task<CellStatus> Cancel(string reason);
}

/// <summary>One grid run (key: run id): starts every cell whose inputs are ready and gathers results.</summary>
[Alias("Unlearning.IGridGrain")]
public interface IGridGrain : IGrainWithStringKey
{
    /// <summary>Starts (or re-attaches to) the run; returns at once.</summary>
    [Alias("Start")]
    Task<GridStatus> Start(GridRequest request);

    [Alias("GetStatus"), AlwaysInterleave]
    Task<GridStatus> GetStatus();

    /// <summary>The cells changed since <paramref name="version"/> (0: all of them): what a watcher asks
    /// every second, so that a grid of 10,000 cells sends only what moved.</summary>
    [Alias("GetChanges"), AlwaysInterleave]
    Task<GridChanges> GetChanges(long version);

    /// <summary>Stops the run: unfinished cells fail as cancelled, running ones free their slots.</summary>
    [Alias("Cancel")]
    Task<GridStatus> Cancel();

    /// <summary>Called by a cell when it finishes (without waiting for the answer: the grid may be waiting on the cell).</summary>
    [Alias("CellFinished")]
    Task CellFinished(CellStatus status);
}

/// <summary>A silo's devices as it announces them (silo metadata).</summary>
[GenerateSerializer, Immutable, Alias("Unlearning.SiloDevices")]
public sealed record SiloDevices(
    [property: Id(0)] string Silo,
    [property: Id(1)] int Gpus,
    [property: Id(2)] int Slots);

/// <summary>The active silos of the cluster and their devices, for planning (<c>grid --plan</c>).</summary>
[Alias("Unlearning.IClusterDevicesGrain")]
public interface IClusterDevicesGrain : IGrainWithIntegerKey
{
    [Alias("Get")]
    Task<List<SiloDevices>> Get();
}
