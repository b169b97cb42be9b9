using Unlearning.Experiments;

namespace Unlearning.Grains;

/// <summary>What hardware a grid's cells may use. Where they read data and keep artifacts is each
/// silo's own configuration (Storage__Data, Storage__Artifacts), never a path from the client.</summary>
[GenerateSerializer, Immutable, Alias("Unlearning.GridSettings")]
public sealed record GridSettings(
    [property: Id(2)] bool AllowCpu = true);

[GenerateSerializer, Immutable, Alias("Unlearning.GridRequest")]
public sealed record GridRequest(
    [property: Id(0)] string RunId,
    [property: Id(1)] IReadOnlyList<CellSpec> Cells,
    [property: Id(2)] GridSettings Settings);

/// <param name="Priority">Expected seconds of work that waits for this cell to end (its own and its
/// dependents'): a silo gives a freed device slot to the waiting cell with the highest.</param>
/// <param name="ReadyAt">When the grid found the cell's inputs done (it may wait for room in the grid's
/// admission window after that); copied into <see cref="CellStatus.ReadyAt"/>.</param>
[GenerateSerializer, Immutable, Alias("Unlearning.CellRequest")]
public sealed record CellRequest(
    [property: Id(0)] string RunId,
    [property: Id(1)] CellSpec Cell,
    [property: Id(2)] GridSettings Settings,
    [property: Id(3)] double Priority = 0,
    [property: Id(4)] DateTimeOffset? ReadyAt = null);
