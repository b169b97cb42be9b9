using Unlearning.Experiments;

namespace Unlearning.Grains;

/// <summary>The one conversion between the grid's cell key and the engine's cell spec.</summary>
public static class CellIdentity
{
    public static CellSpec ToSpec(this CellKey key) => new(key.Dataset, key.Model, key.Method, key.Profile, key.Seed);

    /// <summary>The cell's method starts from another cell's model (the engine's rule, <see cref="CellSpec.NeedsOriginal"/>).</summary>
    // Methods rather than properties on the key: grain-state serialisers walk properties.
    public static bool NeedsOriginal(this CellKey key) => key.ToSpec().NeedsOriginal;

    /// <summary>The cell a u2u / d2d cell starts from, by the engine's rule (<see cref="CellSpec.OriginalCell"/>:
    /// same dataset, model and seed, the method it starts from, the profile without its unlearning settings).</summary>
    // A key is canonical already: no round trip through the spec's validation.
    public static CellKey OriginalCell(this CellKey key)
    {
        var original = key.ToSpec().OriginalCell;
        return new CellKey(original.Dataset, original.Model, original.Method, original.Profile, original.Seed);
    }

    /// <summary>The key of a spec, in the spec's canonical names (throws naming a bad value).</summary>
    public static CellKey ToKey(this CellSpec spec)
    {
        var valid = spec.Validate();
        return new CellKey(valid.Dataset, valid.Model, valid.Method, valid.Profile, valid.Seed);
    }
}
