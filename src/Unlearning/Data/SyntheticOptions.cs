namespace Unlearning.Data;

/// <summary>
/// Shape of a generated dataset. The defaults mimic the LFM-2b demographic sample
/// (protocol.md section 1): 19,972 users (15,557 m / 4,415 f), 99,831 tracks, about 2.83M
/// unique user-track pairs, every user above the 120-interaction threshold.
/// </summary>
public sealed record SyntheticOptions
{
    /// <summary>The LFM-2b-like shape ("lfm-2b-synthetic").</summary>
    public static SyntheticOptions Default { get; } = new();

    /// <summary>A tiny shape for tests and quick runs ("synthetic-small"): 300 users, 400 items,
    /// about 15k interactions, at least 5 per user and per item; a stronger attribute signal, since
    /// 300 users carry less evidence than 20k.</summary>
    public static SyntheticOptions Small { get; } = new()
    {
        Users = 300,
        Items = 400,
        Interactions = 15_000,
        MinInteractions = 5,
        Genres = 8,
        FavouriteGenres = 2,
        GenderSignal = 0.6,
    };

    /// <summary>The ML-1M-like shape ("ml-1m-synthetic"), for measuring at ML-1M's size: 6,040 users
    /// (1,709 f / 4,331 m), 3,706 items, about 1M pairs, at least 20 per user as in ML-1M.</summary>
    public static SyntheticOptions MovieLens1M { get; } = new()
    {
        Users = 6_040,
        Items = 3_706,
        Interactions = 1_000_209,
        FemaleShare = 1_709 / 6_040.0,
        MinInteractions = 20,
        Genres = 18,
    };

    public int Users { get; init; } = 19_972;
    public int Items { get; init; } = 99_831;

    /// <summary>Target number of unique (user, item) pairs; met exactly unless per-user caps bind.</summary>
    public int Interactions { get; init; } = 2_830_541;

    /// <summary>Share of users whose attribute is "f" (the rest are "m"); rounded to whole users.</summary>
    public double FemaleShare { get; init; } = 4_415 / 19_972.0;

    /// <summary>Every user gets at least this many interactions; also the dataset's default
    /// user threshold when <see cref="DataOptions.MinInteractions"/> is null.</summary>
    public int MinInteractions { get; init; } = 120;

    /// <summary>Every item gets at least this many users (rare items receive extra random users,
    /// balanced by removals elsewhere); also the dataset's default item threshold.</summary>
    public int MinItemInteractions { get; init; } = 5;

    /// <summary>Item popularity is proportional to rank^-exponent (Zipf-like long tail).</summary>
    public double PopularityExponent { get; init; } = 0.8;

    /// <summary>Items are spread over this many genres; each user has a few favourites.</summary>
    public int Genres { get; init; } = 64;

    public int FavouriteGenres { get; init; } = 3;

    /// <summary>Share of a user's interactions drawn from the favourite genres (the rest follow
    /// global popularity).</summary>
    public double FavouriteShare { get; init; } = 0.6;

    /// <summary>Strength of the planted attribute signal: each genre has an affinity a ~ N(0,1),
    /// and female users pick favourites with weight exp(+s a), male users exp(-s a).</summary>
    public double GenderSignal { get; init; } = 0.3;

    /// <summary>Log-normal spread of user activity above the minimum.</summary>
    public double ActivitySpread { get; init; } = 1.0;

    /// <summary>Seed of the generator (separate from <see cref="DataOptions.Seed"/>, so the
    /// data stay the same when only the preprocessing seed changes).</summary>
    public int Seed { get; init; } = 2023;

    /// <summary>Canonical text of every setting (cache key input).</summary>
    internal string KeyText() => FormattableString.Invariant(
        $"users={Users};items={Items};n={Interactions};f={FemaleShare:R};min={MinInteractions};minItem={MinItemInteractions};zipf={PopularityExponent:R};genres={Genres};fav={FavouriteGenres};favShare={FavouriteShare:R};signal={GenderSignal:R};spread={ActivitySpread:R};seed={Seed}");

    internal void Validate()
    {
        if (Users < 2) throw new ArgumentOutOfRangeException(nameof(Users), Users, "must be at least 2");
        if (MinInteractions < 1) throw new ArgumentOutOfRangeException(nameof(MinInteractions), MinInteractions, "must be at least 1");
        if (Items < 2 * MinInteractions + PreparedDataset.CandidatesPerUser)
            throw new ArgumentOutOfRangeException(nameof(Items), Items, $"must be at least 2 x MinInteractions + {PreparedDataset.CandidatesPerUser}");
        if ((long)Users * MinInteractions > Interactions)
            throw new ArgumentOutOfRangeException(nameof(Interactions), Interactions, "must be at least Users x MinInteractions");
        if (MinItemInteractions < 0 || MinItemInteractions > Users)
            throw new ArgumentOutOfRangeException(nameof(MinItemInteractions), MinItemInteractions, "must be in [0, Users]");
        if (FemaleShare is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(FemaleShare), FemaleShare, "must be in (0, 1)");
        if (Genres < 1 || FavouriteGenres < 1 || FavouriteGenres > Genres)
            throw new ArgumentOutOfRangeException(nameof(FavouriteGenres), FavouriteGenres, "need 1 <= FavouriteGenres <= Genres");
        if (FavouriteShare is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(FavouriteShare), FavouriteShare, "must be in [0, 1]");
    }
}
