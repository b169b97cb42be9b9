namespace Unlearning.Grains;

/// <summary>One cell of a grid: dataset x model x method, under a profile and a seed.</summary>
[GenerateSerializer, Immutable, Alias("Unlearning.CellKey")]
public sealed record CellKey(
    [property: Id(0)] string Dataset,
    [property: Id(1)] string Model,
    [property: Id(2)] string Method,
    [property: Id(3)] string Profile,
    [property: Id(4)] int Seed)
{
    public string GrainKey(string runId) => $"{runId}/{Dataset}/{Model}/{Method}/{Profile}/{Seed}";

    public override string ToString() => $"{Dataset}/{Model}/{Method}/{Profile}/seed{Seed}";
}

/// <summary>What hardware a grid's cells may use. Where they read data and keep artifacts is each
/// silo's own configuration (Storage__Data, Storage__Artifacts), never a path from the client.</summary>
[GenerateSerializer, Immutable, Alias("Unlearning.GridSettings")]
public sealed record GridSettings(
    [property: Id(2)] bool AllowCpu = true);

[GenerateSerializer, Immutable, Alias("Unlearning.GridRequest")]
public sealed record GridRequest(
    [property: Id(0)] string RunId,
    [property: Id(1)] IReadOnlyList<CellKey> Cells,
    [property: Id(2)] GridSettings Settings);

/// <param name="Priority">Expected seconds of work that waits for this cell to end (its own and its
/// dependents'): a silo gives a freed device slot to the waiting cell with the highest.</param>
[GenerateSerializer, Immutable, Alias("Unlearning.CellRequest")]
public sealed record CellRequest(
    [property: Id(0)] string RunId,
    [property: Id(1)] CellKey Cell,
    [property: Id(2)] GridSettings Settings,
    [property: Id(3)] double Priority = 0);
