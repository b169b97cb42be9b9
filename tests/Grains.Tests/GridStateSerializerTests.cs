using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Unlearning.Experiments;

namespace Unlearning.Grains.Tests;

/// <summary>Grid and cell state as a silo stores it: binary through the cell's surrogate, and states
/// that silos of the previous version wrote (Fixtures/legacy-*.json, captured from such a silo's
/// serialiser) still read, with every cell back as the same <see cref="CellSpec"/>.</summary>
public sealed class GridStateSerializerTests(CpuClusterFixture fixture) : IClassFixture<CpuClusterFixture>
{
    private static readonly CellSpec Original = new("ml-100k", "nmf", "original", "paper", 2023);
    private static readonly CellSpec WithSlash = new("ml-100k", "nmf", "d2d", "paper+data.attribute_column=age/group", 7);

    private IGrainStorageSerializer Serializer => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainStorageSerializer>();

    [Fact]
    public void TheSiloStoresStateThroughIt() => Assert.IsType<GridStateSerializer>(Serializer);

    [Fact]
    public void AGridStateWrittenByThePreviousVersionReadsBack()
    {
        var state = Serializer.Deserialize<GridGrainState>(Legacy("legacy-grid-state.json"))!;
        Assert.Equal("run-a/b", state.Request!.RunId);
        Assert.Equal([Original, WithSlash], state.Request.Cells);
        Assert.Equal(Original, state.Cells[CellGrainKey.Of("run-a/b", Original)].Cell);
        Assert.Equal(CellState.Done, state.Cells[CellGrainKey.Of("run-a/b", Original)].State);
        Assert.Equal(WithSlash, state.Cells[CellGrainKey.Of("run-a/b", WithSlash)].Cell);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero), state.StartedAt);
    }

    [Fact]
    public void ACellStateWrittenByThePreviousVersionReadsBack()
    {
        var state = Serializer.Deserialize<CellGrainState>(Legacy("legacy-cell-state.json"))!;
        Assert.Equal(WithSlash, state.Request!.Cell);
        Assert.Equal(12.5, state.Request.Priority);
        Assert.Equal(WithSlash, state.Status!.Cell);
        Assert.Equal(CellState.Queued, state.Status.State);
        Assert.Equal(1, state.Attempts);
    }

    /// <summary>An original's spec has no cell it starts from: a serialiser that walked its properties
    /// (as the default JSON one did) would throw on it.</summary>
    [Fact]
    public void StatesRoundTripInBinaryWithOriginalsAndAnyName()
    {
        var grid = new GridGrainState
        {
            Request = new GridRequest("run", [Original, WithSlash], new GridSettings(AllowCpu: false)),
            Cells = { ["k"] = new CellStatus(Original, CellState.Running, Silo: "s", Slot: 1) },
        };
        var gridBytes = Serializer.Serialize(grid);
        var cellBytes = Serializer.Serialize(new CellGrainState { Request = new CellRequest("run", WithSlash, new GridSettings()), Attempts = 2 });
        Assert.False(GridStateSerializer.IsLegacyJson(gridBytes));
        Assert.False(GridStateSerializer.IsLegacyJson(cellBytes));

        var back = Serializer.Deserialize<GridGrainState>(gridBytes)!;
        Assert.Equal(grid.Request.Cells, back.Request!.Cells);
        Assert.False(back.Request.Settings.AllowCpu);
        Assert.Equal(grid.Cells["k"], back.Cells["k"]);
        var cell = Serializer.Deserialize<CellGrainState>(cellBytes)!;
        Assert.Equal(WithSlash, cell.Request!.Cell);
        Assert.Equal(2, cell.Attempts);
    }

    private static BinaryData Legacy(string name) => BinaryData.FromBytes(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)));
}
