namespace Unlearning.Data;

/// <summary>Accumulates ids, interactions (in file order) and attributes for a reader.</summary>
internal sealed class RawDatasetBuilder
{
    private readonly List<int> _users;
    private readonly List<int> _items;
    private List<long>? _timestamps;
    private readonly List<string?> _attributes = [];
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<int> _listed = [];

    public RawDatasetBuilder(bool numericIds, int capacity = 1024)
    {
        UserIds = numericIds ? RawIdTable.Numeric() : RawIdTable.Text();
        ItemIds = numericIds ? RawIdTable.Numeric() : RawIdTable.Text();
        _users = new List<int>(capacity);
        _items = new List<int>(capacity);
    }

    public RawIdTable UserIds { get; }
    public RawIdTable ItemIds { get; }

    /// <summary>Null until the first interaction says whether the source has timestamps.</summary>
    public bool? HasTimestamps => _timestamps is not null ? true : _users.Count > 0 ? false : null;

    public int InteractionCount => _users.Count;

    /// <summary>Records the attribute of a user; a user listed twice is an error. A null or empty
    /// value means "no attribute" (the user is dropped in preprocessing).</summary>
    public void SetAttribute(TextRecords source, int user, string? value)
    {
        if (!_listed.Add(user))
            throw source.Error(UserIds.KeyOf(user), $"user '{UserIds.KeyOf(user)}' is listed more than once");
        while (_attributes.Count <= user) _attributes.Add(null);
        _attributes[user] = string.IsNullOrEmpty(value) ? null : Intern(value);
    }

    public void AddInteraction(int user, int item) => AddInteraction(user, item, null);

    public void AddInteraction(int user, int item, long? timestamp)
    {
        if (_users.Count == 0 && timestamp is not null) _timestamps = new List<long>(_users.Capacity);
        _users.Add(user);
        _items.Add(item);
        if (_timestamps is not null) _timestamps.Add(timestamp ?? 0);
    }

    public RawDataset Build(string interactionsFile, string attributesFile)
    {
        while (_attributes.Count < UserIds.Count) _attributes.Add(null);
        return new RawDataset
        {
            InteractionsFile = interactionsFile,
            AttributesFile = attributesFile,
            UserIds = UserIds,
            ItemIds = ItemIds,
            Users = [.. _users],
            Items = [.. _items],
            Timestamps = _timestamps?.ToArray(),
            UserAttributes = [.. _attributes],
        };
    }

    private string Intern(string value)
    {
        if (_values.TryGetValue(value, out var existing)) return existing;
        _values.Add(value, value);
        return value;
    }
}
