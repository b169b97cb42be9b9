namespace Unlearning.Grains;

[GenerateSerializer, Alias("Unlearning.GridGrainState")]
public sealed class GridGrainState
{
    [Id(0)] public GridRequest? Request { get; set; }
    [Id(1)] public Dictionary<string, CellStatus> Cells { get; set; } = new();
    [Id(2)] public DateTimeOffset StartedAt { get; set; }
    [Id(3)] public DateTimeOffset? FinishedAt { get; set; }
    [Id(4)] public bool Cancelled { get; set; }
}
