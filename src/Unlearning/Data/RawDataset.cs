namespace Unlearning.Data;

/// <summary>
/// Interactions and attributes as read from the raw files, before any preprocessing.
/// Interaction <c>k</c> is the k-th interaction of the file: its array index is its position,
/// which breaks ties between equal timestamps (protocol.md section 1, step 4).
/// </summary>
public sealed class RawDataset
{
    /// <summary>Path of the interactions file (or a description of generated data), for messages.</summary>
    public required string InteractionsFile { get; init; }

    /// <summary>Path of the attributes file (or a description of generated data), for messages.</summary>
    public required string AttributesFile { get; init; }

    public required RawIdTable UserIds { get; init; }
    public required RawIdTable ItemIds { get; init; }

    /// <summary>Per interaction: dense index into <see cref="UserIds"/>.</summary>
    public required int[] Users { get; init; }

    /// <summary>Per interaction: dense index into <see cref="ItemIds"/>.</summary>
    public required int[] Items { get; init; }

    /// <summary>Per interaction: time in seconds, or null when the source has no timestamps.</summary>
    public long[]? Timestamps { get; init; }

    /// <summary>Per dense user index: the attribute value, or null when the user has none.</summary>
    public required string?[] UserAttributes { get; init; }

    public int Count => Users.Length;

    /// <summary>Number of distinct users that have at least one interaction.</summary>
    public int CountInteractingUsers() => CountDistinct(Users, UserIds.Count);

    /// <summary>Number of distinct items that have at least one interaction.</summary>
    public int CountInteractedItems() => CountDistinct(Items, ItemIds.Count);

    private static int CountDistinct(int[] ids, int size)
    {
        var seen = new bool[size];
        int n = 0;
        foreach (var id in ids)
            if (!seen[id]) { seen[id] = true; n++; }
        return n;
    }
}
