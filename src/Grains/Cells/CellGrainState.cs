namespace Unlearning.Grains;

[GenerateSerializer, Alias("Unlearning.CellGrainState")]
public sealed class CellGrainState
{
    [Id(0)] public CellRequest? Request { get; set; }
    [Id(1)] public CellStatus? Status { get; set; }

    /// <summary>Silos the cell was started on and lost (a graceful shutdown gives its attempt back).</summary>
    [Id(2)] public int Attempts { get; set; }
}
