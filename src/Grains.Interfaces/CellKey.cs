using Unlearning.Experiments;

namespace Unlearning.Grains;

/// <summary>The form in which a <see cref="CellSpec"/> (the engine's, free of Orleans) travels in grain
/// messages and grain state: Orleans serialises a cell spec through this surrogate
/// (<see cref="CellKeyConverter"/>), so grains, client and engine share one cell type.</summary>
[GenerateSerializer, Immutable, Alias("Unlearning.CellKey")]
public readonly record struct CellKey(
    [property: Id(0)] string Dataset,
    [property: Id(1)] string Model,
    [property: Id(2)] string Method,
    [property: Id(3)] string Profile,
    [property: Id(4)] int Seed);
