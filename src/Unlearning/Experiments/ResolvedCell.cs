using Unlearning.Catalog;

namespace Unlearning.Experiments;

/// <summary>A cell with every name looked up once: its canonical spec, its profile's settings and the
/// catalog's descriptors of its dataset (a dataset of the user's own has a custom one, known by its
/// files), model and method. The grid plans on these and the engine
/// prepares from one; the config hash joins where the data has been read (it hashes the data too).</summary>
public sealed record ResolvedCell(CellSpec Spec, ExperimentProfile Profile, ModelDescriptor Model, MethodDescriptor Method, DatasetDescriptor Dataset)
{
    /// <summary>Validates the spec (names, profile, attribute) and looks everything up; throws naming a bad value.</summary>
    public static ResolvedCell Of(CellSpec requested)
    {
        var spec = requested.Validate();
        return new ResolvedCell(spec, ExperimentProfile.Get(spec.Profile), Registry.Models.Get(spec.Model), Registry.Methods.Get(spec.Method),
            Registry.Dataset(spec.Dataset));
    }
}
