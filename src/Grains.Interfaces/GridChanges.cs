namespace Unlearning.Grains;

/// <summary>What changed in a grid since a watcher's last look (<see cref="IGridGrain.GetChanges"/>).</summary>
/// <param name="Version">Pass it to the next call.</param>
/// <param name="Everything">True when <paramref name="Cells"/> holds every cell (a first look, or the grid
/// was brought back on another silo since): the watcher replaces what it holds instead of merging.</param>
/// <param name="Cells">The statuses changed since the version asked for.</param>
/// <param name="Total">How many cells the grid has (0: no such run).</param>
[GenerateSerializer, Immutable, Alias("Unlearning.GridChanges")]
public sealed record GridChanges(
    [property: Id(0)] string RunId,
    [property: Id(1)] long Version,
    [property: Id(2)] bool Everything,
    [property: Id(3)] IReadOnlyList<CellStatus> Cells,
    [property: Id(4)] int Total,
    [property: Id(5)] DateTimeOffset StartedAt,
    [property: Id(6)] DateTimeOffset? FinishedAt);
