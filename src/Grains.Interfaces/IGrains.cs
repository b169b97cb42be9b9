using Orleans.Concurrency;

namespace Unlearning.Grains;

/// <summary>One cell of one grid run (key: <see cref="CellKey.GrainKey"/>). Runs the engine on a
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

    /// <summary>Stops the run: unfinished cells fail as cancelled, running ones free their slots.</summary>
    [Alias("Cancel")]
    Task<GridStatus> Cancel();

    /// <summary>Called by a cell when it finishes.</summary>
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
