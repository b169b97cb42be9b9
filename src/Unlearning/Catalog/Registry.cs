using System.Collections.Immutable;
using Unlearning.Util;

namespace Unlearning.Catalog;

/// <summary>
/// The catalog: every dataset, model, method and attacker the engine knows, each described once
/// (<see cref="DatasetDescriptor"/>, <see cref="ModelDescriptor"/>, <see cref="MethodDescriptor"/>,
/// <see cref="AttackerDescriptor"/>) in its own table (Registry.Datasets.cs, ...), and found by one
/// lookup per kind. Adding one is a descriptor in its table (and, for a model or attacker, the file
/// that implements it); nothing else switches on a name.
/// </summary>
public static partial class Registry
{
    public static CatalogKind<DatasetDescriptor> Datasets { get; } = new("dataset", DatasetTable());
    public static CatalogKind<ModelDescriptor> Models { get; } = new("model", ModelTable());
    public static CatalogKind<MethodDescriptor> Methods { get; } = new("method", MethodTable());
    public static CatalogKind<AttackerDescriptor> Attackers { get; } = new("attacker", AttackerTable());

    /// <summary>A dataset by name: a built-in one, or else a custom folder of that name.</summary>
    public static DatasetDescriptor Dataset(string name) => Datasets.Find(name) ?? DatasetDescriptor.Custom(name);

    /// <summary>The options sections the models and attackers bring, at their defaults, by section name.</summary>
    public static ImmutableSortedDictionary<string, OptionsSection> DefaultSections { get; } =
        Models.All.Select(m => m.Options).Concat(Attackers.All.Select(a => a.Options))
            .ToImmutableSortedDictionary(s => s.Name, s => s.Default, StringComparer.Ordinal);

    /// <summary>The attackers every cell runs (the paper's), in order.</summary>
    public static IReadOnlyList<AttackerDescriptor> ProtocolAttackers { get; } = Attackers.All.Where(a => a.InProtocol).ToList();
}
