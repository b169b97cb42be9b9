using Unlearning.Experiments;

namespace Unlearning.Grains;

/// <summary>Orleans' converter between a <see cref="CellSpec"/> and its surrogate <see cref="CellKey"/>.</summary>
[RegisterConverter]
public sealed class CellKeyConverter : IConverter<CellSpec, CellKey>
{
    public CellSpec ConvertFromSurrogate(in CellKey key) => new(key.Dataset, key.Model, key.Method, key.Profile, key.Seed);

    public CellKey ConvertToSurrogate(in CellSpec spec) => new(spec.Dataset, spec.Model, spec.Method, spec.Profile, spec.Seed);
}
