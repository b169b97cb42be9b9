namespace Unlearning.Catalog;

/// <summary>The entries of one kind (datasets, models, methods, attackers), in the order the tables
/// show them, found by name, label or alias in any case, as RecBole's <c>get_model</c> finds a model
/// by name. An unknown name fails listing the valid ones; nothing falls back to another entry.</summary>
public sealed class CatalogKind<T> where T : ICatalogEntry
{
    private readonly Dictionary<string, T> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<T> _all;

    public CatalogKind(string kind, IEnumerable<T> entries)
    {
        Kind = kind;
        _all = entries.ToList();
        Names = _all.Select(e => e.Name).ToList();
        foreach (var entry in All)
            foreach (var name in new[] { entry.Name, entry.Label }.Concat(entry.Aliases))
                if (!_byName.TryAdd(name, entry) && !ReferenceEquals(_byName[name], entry))
                    throw new InvalidOperationException($"the {kind} name '{name}' is given to both {_byName[name].Name} and {entry.Name}");
    }

    /// <summary>"model", for messages.</summary>
    public string Kind { get; }

    public IReadOnlyList<T> All => _all;

    /// <summary>The canonical names, in order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The entry a name stands for; throws <see cref="ArgumentException"/> listing the valid names.</summary>
    public T Get(string name) => Find(name) ?? throw new ArgumentException($"unknown {Kind} '{name}' (expected one of: {string.Join(", ", Names)})");

    /// <summary>The entry a name stands for, or null.</summary>
    public T? Find(string? name) => name is not null && _byName.TryGetValue(name.Trim(), out var entry) ? entry : default;

    /// <summary>Where an entry stands in the tables' order; after every entry for a name it does not know.</summary>
    public int Order(string name) => Find(name) is { } entry ? _all.IndexOf(entry) : _all.Count;

    /// <summary>The label of a name the catalog knows; the name itself otherwise (a stored result of a custom dataset).</summary>
    public string Label(string name) => Find(name)?.Label ?? name;
}
