namespace Unlearning.Data;

/// <summary>
/// A dataset after preprocessing (protocol.md section 1): implicit feedback, k-core filtered,
/// re-indexed to contiguous 0-based ids, split leave-one-out, with 100 test candidates per user.
/// Immutable once built; every model, method and attacker reads only this.
/// </summary>
public sealed class PreparedDataset
{
    public const int CandidatesPerUser = 100;

    /// <summary>Dataset name as given by the user ("ml-100k", "ml-1m", "lfm-2b", "lfm-2b-synthetic", ...).</summary>
    public required string Name { get; init; }
    public required int NumUsers { get; init; }
    public required int NumItems { get; init; }

    /// <summary>Training pairs, grouped by user (user-major, CSR): items of user u are
    /// TrainItems[TrainOffsets[u] .. TrainOffsets[u + 1]), sorted ascending.</summary>
    public required int[] TrainOffsets { get; init; }
    public required int[] TrainItems { get; init; }

    /// <summary>Per user: the held-out test positive.</summary>
    public required int[] TestItems { get; init; }

    /// <summary>Per user, <see cref="CandidatesPerUser"/> items flattened user-major: index 0 is the
    /// test positive, 1..99 are sampled items the user never interacted with.</summary>
    public required int[] TestCandidates { get; init; }

    /// <summary>Per user: the held-out validation positive (the second-latest interaction), where
    /// <see cref="DataOptions.ValidationSplit"/> asked for one; null otherwise.</summary>
    public int[]? ValidationItems { get; init; }

    /// <summary>Per user, the validation positive and 99 sampled unseen items, as <see cref="TestCandidates"/>; null without a validation split.</summary>
    public int[]? ValidationCandidates { get; init; }

    public bool HasValidation => ValidationItems is not null;

    /// <summary>Per user: the group id of the private attribute. Group 0 is the largest group
    /// (for gender: male), groups are numbered by descending size.</summary>
    public required int[] UserGroup { get; init; }

    /// <summary>Raw attribute value of each group id ("M", "F", "m", "f", ...).</summary>
    public required string[] GroupValues { get; init; }

    /// <summary>Hash of the raw input files plus the preprocessing settings (hex).</summary>
    public required string ContentHash { get; init; }

    public int NumTrain => TrainItems.Length;
    public int NumGroups => GroupValues.Length;

    /// <summary>The positive class for attack precision / recall: the smallest group
    /// (for gender: female) — protocol.md section 6 (decision).</summary>
    public int PositiveGroup => NumGroups - 1;

    public ReadOnlySpan<int> TrainItemsOf(int user) =>
        TrainItems.AsSpan(TrainOffsets[user], TrainOffsets[user + 1] - TrainOffsets[user]);

    public ReadOnlySpan<int> CandidatesOf(int user) =>
        TestCandidates.AsSpan(user * CandidatesPerUser, CandidatesPerUser);

    /// <summary>True when the user interacted with the item in training, validation or test.</summary>
    public bool HasInteracted(int user, int item) =>
        TestItems[user] == item || ValidationItems?[user] == item || TrainItemsOf(user).BinarySearch(item) >= 0;

    /// <summary>Training pairs expanded to two parallel arrays (user, item).</summary>
    public (int[] Users, int[] Items) TrainPairs()
    {
        var users = new int[NumTrain];
        for (int u = 0; u < NumUsers; u++)
            users.AsSpan(TrainOffsets[u], TrainOffsets[u + 1] - TrainOffsets[u]).Fill(u);
        return (users, (int[])TrainItems.Clone());
    }

    public int[] GroupSizes()
    {
        var sizes = new int[NumGroups];
        foreach (var g in UserGroup) sizes[g]++;
        return sizes;
    }
}
