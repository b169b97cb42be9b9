namespace Unlearning.Data;

/// <summary>
/// Preprocessing settings (protocol.md section 1). The defaults are the paper's; every value is
/// part of the dataset's cache key and <see cref="PreparedDataset.ContentHash"/>.
/// </summary>
public sealed record DataOptions : Unlearning.Util.OptionsSection
{
    public static DataOptions Default { get; } = new();

    /// <summary>Minimum interactions per user (k-core). Null = the dataset's default: 5 for
    /// ml-100k / ml-1m / custom, 120 for lfm-2b, the generator's setting for synthetic data.</summary>
    public int? MinInteractions { get; init; }

    /// <summary>Minimum interactions per item (k-core). Null = the user threshold, except for
    /// lfm-2b where it is 5 <b>(decision)</b>: the LFM-2b sample averages about 28 listeners per
    /// track, so a 120 threshold on tracks would discard most of them and, by cascade, most
    /// users; and for synthetic data, the generator's <see cref="SyntheticOptions.MinItemInteractions"/>.</summary>
    public int? MinItemInteractions { get; init; }

    /// <summary>Seed of the preprocessing randomness (held-out item without timestamps,
    /// test negatives). Each build owns its own generator.</summary>
    public int Seed { get; init; } = 2023;

    /// <summary>Sampled test negatives per user; with the test positive they make
    /// <see cref="PreparedDataset.CandidatesPerUser"/> candidates, so only 99 is accepted.</summary>
    public int NegativeCandidates { get; init; } = 99;

    /// <summary>Hold out each user's second-latest interaction as a validation item with its own 99
    /// candidates, and choose the best training epoch on it instead of on the test split (issue 12;
    /// not the paper's protocol, which selects on the test split).</summary>
    public bool ValidationSplit { get; init; }

    /// <summary>The private attribute. Custom datasets: the header name of the attribute column in
    /// <c>attributes.csv</c> (null: the second column). ML-100K / ML-1M: gender (null: the paper's),
    /// age or occupation (<see cref="MovieLensReader"/>). <c>--attribute</c> sets it.</summary>
    public string? AttributeColumn { get; init; }

    /// <summary>Generator settings for lfm-2b-synthetic / synthetic-small. Null = that dataset's
    /// default (<see cref="SyntheticOptions.Default"/> / <see cref="SyntheticOptions.Small"/>).</summary>
    public SyntheticOptions? Synthetic { get; init; }

    /// <summary>User threshold actually applied when <see cref="MinInteractions"/> is null.</summary>
    internal int UserThreshold => MinInteractions ?? 5;

    internal int ItemThreshold => MinItemInteractions ?? UserThreshold;

    internal void Validate()
    {
        if (UserThreshold < 1)
            throw new ArgumentOutOfRangeException(nameof(MinInteractions), UserThreshold, "must be at least 1");
        if (ItemThreshold < 1)
            throw new ArgumentOutOfRangeException(nameof(MinItemInteractions), ItemThreshold, "must be at least 1");
        if (NegativeCandidates != PreparedDataset.CandidatesPerUser - 1)
            throw new ArgumentOutOfRangeException(nameof(NegativeCandidates), NegativeCandidates,
                $"must be {PreparedDataset.CandidatesPerUser - 1}: PreparedDataset holds {PreparedDataset.CandidatesPerUser} candidates per user");
    }

    /// <summary>Canonical text of every setting that changes the prepared data (cache key input).</summary>
    internal string KeyText() =>
        $"minUser={UserThreshold};minItem={ItemThreshold};seed={Seed};neg={NegativeCandidates};attr={AttributeColumn}" +
        (ValidationSplit ? ";validation=1" : "");
}
