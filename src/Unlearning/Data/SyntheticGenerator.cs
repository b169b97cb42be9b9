using System.Globalization;

namespace Unlearning.Data;

/// <summary>
/// Generates an LFM-2B-like dataset in memory (see <see cref="SyntheticOptions"/>): Zipf-like
/// item popularity, items grouped into genres, users with a few favourite genres whose choice is
/// tilted by gender (the planted attribute signal), activity log-normal above the minimum,
/// timestamps increasing within each user. Deterministic for <see cref="SyntheticOptions.Seed"/>.
/// User and item ids are 0..n-1; interactions are written user by user in time order.
/// </summary>
public static class SyntheticGenerator
{
    private const long StartTime = 1_104_537_600;              // 2005-01-01 UTC
    private const long TimeRange = 15L * 365 * 24 * 3600;
    private const long MinWindow = 30L * 24 * 3600;
    private const long MaxWindow = 3L * 365 * 24 * 3600;

    public static RawDataset Generate(SyntheticOptions options, string description = "generated synthetic data")
    {
        options.Validate();
        var rng = new Random(options.Seed);
        int numUsers = options.Users, numItems = options.Items, numGenres = options.Genres;

        // Items: a random popularity rank (so popularity is not tied to the id) and a genre.
        var rank = Permutation(numItems, rng);
        var weight = new double[numItems];
        var genreOf = new int[numItems];
        for (int i = 0; i < numItems; i++)
        {
            weight[i] = Math.Pow(rank[i] + 1, -options.PopularityExponent);
            genreOf[i] = rng.Next(numGenres);
        }
        var (genreOffsets, genreItems, genreCdf) = GroupByGenre(weight, genreOf, numGenres);
        var catalogue = new Catalogue(Cumulative(weight), genreOffsets, genreItems, genreCdf);

        var affinity = new double[numGenres];
        for (int g = 0; g < numGenres; g++) affinity[g] = Gaussian(rng);

        // Attributes: exactly round(share x users) women, at random positions.
        int women = (int)Math.Round(options.FemaleShare * numUsers);
        var isFemale = new bool[numUsers];
        var order = Permutation(numUsers, rng);
        for (int u = 0; u < numUsers; u++) isFemale[u] = order[u] < women;

        var counts = ActivityCounts(options, rng);
        var favourite = ChooseFavourites(isFemale, affinity, options, rng);
        var (offsets, items) = DrawItems(counts, favourite, catalogue, options, rng);
        (offsets, items) = RaiseRareItems(offsets, items, numItems, options.MinItemInteractions, options.MinInteractions, rng);

        var users = new int[items.Length];
        var times = new long[items.Length];
        var gaps = new double[numUsers == 0 ? 0 : Enumerable.Range(0, numUsers).Max(u => offsets[u + 1] - offsets[u])];
        for (int u = 0; u < numUsers; u++)
        {
            int start = offsets[u], n = offsets[u + 1] - start;
            users.AsSpan(start, n).Fill(u);
            rng.Shuffle(items.AsSpan(start, n)); // moves items added by RaiseRareItems to random times
            FillTimes(times.AsSpan(start, n), gaps, rng);
        }

        var userIds = RawIdTable.Numeric();
        var itemIds = RawIdTable.Numeric();
        for (int u = 0; u < numUsers; u++) userIds.GetOrAdd(u);
        for (int i = 0; i < numItems; i++) itemIds.GetOrAdd(i);
        var attributes = new string?[numUsers];
        for (int u = 0; u < numUsers; u++) attributes[u] = isFemale[u] ? "f" : "m";
        return new RawDataset
        {
            InteractionsFile = description,
            AttributesFile = description,
            UserIds = userIds,
            ItemIds = itemIds,
            Users = users,
            Items = items,
            Timestamps = times,
            UserAttributes = attributes,
        };
    }

    /// <summary>Item cdfs: over all items, and per genre (a segment of one running sum).</summary>
    private sealed record Catalogue(double[] GlobalCdf, int[] GenreOffsets, int[] GenreItems, double[] GenreCdf)
    {
        public int Count => GlobalCdf.Length;

        public int SampleGlobal(Random rng) => SampleCdf(GlobalCdf, 0, Count, rng);

        public int SampleGenre(int genre, Random rng)
        {
            int start = GenreOffsets[genre], end = GenreOffsets[genre + 1];
            return end > start ? GenreItems[SampleCdf(GenreCdf, start, end, rng)] : SampleGlobal(rng);
        }
    }

    /// <summary>Per user, <c>FavouriteGenres</c> distinct genres, weighted exp(+-signal x affinity).</summary>
    private static int[] ChooseFavourites(bool[] isFemale, double[] affinity, SyntheticOptions options, Random rng)
    {
        int k = options.FavouriteGenres;
        var favourite = new int[isFemale.Length * k];
        var weight = new double[affinity.Length];
        for (int u = 0; u < isFemale.Length; u++)
        {
            double sign = isFemale[u] ? 1 : -1;
            for (int g = 0; g < affinity.Length; g++) weight[g] = Math.Exp(sign * options.GenderSignal * affinity[g]);
            for (int j = 0; j < k; j++)
            {
                int g = SampleLinear(weight, rng);
                favourite[u * k + j] = g;
                weight[g] = 0; // without replacement
            }
        }
        return favourite;
    }

    /// <summary>Each user's distinct items (CSR): from a favourite genre with probability
    /// <c>FavouriteShare</c>, otherwise by global popularity.</summary>
    private static (int[] Offsets, int[] Items) DrawItems(int[] counts, int[] favourite, Catalogue catalogue, SyntheticOptions options, Random rng)
    {
        int numUsers = counts.Length, k = options.FavouriteGenres;
        var offsets = new int[numUsers + 1];
        for (int u = 0; u < numUsers; u++) offsets[u + 1] = offsets[u] + counts[u];
        var items = new int[offsets[numUsers]];
        var stamp = new int[catalogue.Count];
        for (int u = 0; u < numUsers; u++)
        {
            int n = counts[u], mark = u + 1, drawn = 0, attempts = 0;
            var row = items.AsSpan(offsets[u], n);
            while (drawn < n)
            {
                int item = ++attempts > 20 * n + 100
                    ? rng.Next(catalogue.Count) // pathological skew: fall back to uniform so it terminates
                    : rng.NextDouble() < options.FavouriteShare
                        ? catalogue.SampleGenre(favourite[u * k + rng.Next(k)], rng)
                        : catalogue.SampleGlobal(rng);
                if (stamp[item] == mark) continue;
                stamp[item] = mark;
                row[drawn++] = item;
            }
        }
        return (offsets, items);
    }

    /// <summary>
    /// Writes a raw dataset with numeric ids in the LFM-2B format read by <see cref="Lfm2bReader"/>:
    /// <c>users.tsv</c> and <c>interactions.tsv</c> with header lines, interactions in their raw
    /// order, made-up play counts, countries, ages and creation times (which the reader ignores).
    /// </summary>
    public static void WriteLfm2bFiles(RawDataset data, string directory, int seed = 2023)
    {
        if (!data.UserIds.IsNumeric || !data.ItemIds.IsNumeric)
            throw new ArgumentException("the LFM-2B format needs numeric user and item ids", nameof(data));
        Directory.CreateDirectory(directory);
        string[] countries = ["US", "UK", "DE", "SE", "BR", "PL", "RU", "FI", "NL", "JP"];
        var rng = new Random(seed);
        var inv = CultureInfo.InvariantCulture;

        using (var w = new StreamWriter(Path.Combine(directory, Lfm2bReader.UsersFileName), false, new System.Text.UTF8Encoding(false), 1 << 16))
        {
            w.Write("user_id\tcountry\tage\tgender\tcreation_time\n");
            for (int u = 0; u < data.UserIds.Count; u++)
            {
                long created = StartTime + rng.NextInt64(TimeRange / 2);
                w.Write(string.Create(inv, $"{data.UserIds.KeyOf(u)}\t{countries[u % countries.Length]}\t{18 + rng.Next(40)}\t{data.UserAttributes[u] ?? "n"}\t{created}\n"));
            }
        }

        using (var w = new StreamWriter(Path.Combine(directory, Lfm2bReader.InteractionsFileName), false, new System.Text.UTF8Encoding(false), 1 << 16))
        {
            w.Write(data.Timestamps is null ? "user_id\ttrack_id\tcount\n" : "user_id\ttrack_id\tcount\ttimestamp\n");
            Span<char> line = stackalloc char[96];
            for (int k = 0; k < data.Count; k++)
            {
                int count = 1 + (int)(-Math.Log(1 - rng.NextDouble()) * 5);
                int len = 0;
                Append(line, ref len, data.UserIds.KeyOf(data.Users[k]));
                line[len++] = '\t';
                Append(line, ref len, data.ItemIds.KeyOf(data.Items[k]));
                line[len++] = '\t';
                count.TryFormat(line[len..], out int c, default, inv);
                len += c;
                if (data.Timestamps is not null)
                {
                    line[len++] = '\t';
                    data.Timestamps[k].TryFormat(line[len..], out c, default, inv);
                    len += c;
                }
                line[len++] = '\n';
                w.Write(line[..len]);
            }
        }
    }

    private static void Append(Span<char> line, ref int len, string text)
    {
        text.AsSpan().CopyTo(line[len..]);
        len += text.Length;
    }

    /// <summary>
    /// Gives every item at least <paramref name="minItem"/> users (random users that lack it), and
    /// removes as many random interactions of items and users well above their minimums, so the
    /// total stays on target and the k-core filter keeps every user and item.
    /// </summary>
    private static (int[] Offsets, int[] Items) RaiseRareItems(int[] offsets, int[] items, int numItems, int minItem, int minUser, Random rng)
    {
        int numUsers = offsets.Length - 1;
        var itemCount = new int[numItems];
        foreach (var i in items) itemCount[i]++;
        var userCount = new int[numUsers];
        for (int u = 0; u < numUsers; u++) userCount[u] = offsets[u + 1] - offsets[u];

        var added = new List<(int User, int Item)>();
        var addedSet = new HashSet<long>();
        for (int i = 0; i < numItems; i++)
        {
            for (int attempts = 0; itemCount[i] < minItem && attempts < 100 * numUsers; attempts++)
            {
                int u = rng.Next(numUsers);
                if (items.AsSpan(offsets[u], offsets[u + 1] - offsets[u]).Contains(i) || !addedSet.Add((long)u * numItems + i)) continue;
                added.Add((u, i));
                itemCount[i]++;
                userCount[u]++;
            }
        }
        if (added.Count == 0) return (offsets, items);

        var owner = new int[items.Length];
        for (int u = 0; u < numUsers; u++) owner.AsSpan(offsets[u], offsets[u + 1] - offsets[u]).Fill(u);
        var removed = new bool[items.Length];
        long budget = 100L * items.Length;
        for (int left = added.Count; left > 0 && budget-- > 0;)
        {
            int k = rng.Next(items.Length);
            if (removed[k] || itemCount[items[k]] <= 2 * minItem || userCount[owner[k]] <= minUser) continue;
            removed[k] = true;
            itemCount[items[k]]--;
            userCount[owner[k]]--;
            left--;
        }

        added.Sort();
        var newOffsets = new int[numUsers + 1];
        for (int u = 0; u < numUsers; u++) newOffsets[u + 1] = newOffsets[u] + userCount[u];
        var newItems = new int[newOffsets[numUsers]];
        for (int u = 0, a = 0, at = 0; u < numUsers; u++)
        {
            for (int k = offsets[u]; k < offsets[u + 1]; k++)
                if (!removed[k]) newItems[at++] = items[k];
            for (; a < added.Count && added[a].User == u; a++) newItems[at++] = added[a].Item;
        }
        return (newOffsets, newItems);
    }

    /// <summary>Per user: MinInteractions plus a log-normal share of the remaining target,
    /// capped at half the items, summing to the target where the caps allow.</summary>
    private static int[] ActivityCounts(SyntheticOptions options, Random rng)
    {
        int numUsers = options.Users;
        int cap = options.Items / 2;
        var extra = new double[numUsers];
        double sum = 0;
        for (int u = 0; u < numUsers; u++) sum += extra[u] = Math.Exp(options.ActivitySpread * Gaussian(rng));
        long target = options.Interactions;
        double scale = (target - (double)numUsers * options.MinInteractions) / sum;
        var counts = new int[numUsers];
        long total = 0;
        for (int u = 0; u < numUsers; u++)
        {
            counts[u] = (int)Math.Min(cap, options.MinInteractions + Math.Floor(extra[u] * scale));
            total += counts[u];
        }
        for (long left = target - total, tries = 0; left > 0 && tries < 20 * target; tries++)
        {
            int u = rng.Next(numUsers);
            if (counts[u] < cap) { counts[u]++; left--; }
        }
        return counts;
    }

    /// <summary>Times for one user's interactions, increasing, spread over a random window.</summary>
    private static void FillTimes(Span<long> times, double[] gaps, Random rng)
    {
        long window = rng.NextInt64(MinWindow, MaxWindow);
        long start = StartTime + rng.NextInt64(TimeRange - window);
        double cumulative = 0;
        for (int k = 0; k < times.Length; k++) gaps[k] = cumulative += -Math.Log(1 - rng.NextDouble());
        for (int k = 0; k < times.Length; k++) times[k] = start + (long)(window * gaps[k] / cumulative);
    }

    private static (int[] Offsets, int[] Items, double[] Cdf) GroupByGenre(double[] weight, int[] genreOf, int numGenres)
    {
        var offsets = new int[numGenres + 1];
        foreach (var g in genreOf) offsets[g + 1]++;
        for (int g = 0; g < numGenres; g++) offsets[g + 1] += offsets[g];
        var fill = offsets[..^1];
        var items = new int[genreOf.Length];
        for (int i = 0; i < genreOf.Length; i++) items[fill[genreOf[i]]++] = i;
        // One running sum across genres, so a genre's segment is sampled like any cdf range.
        var cdf = new double[items.Length];
        double acc = 0;
        for (int k = 0; k < items.Length; k++) cdf[k] = acc += weight[items[k]];
        return (offsets, items, cdf);
    }

    private static double[] Cumulative(double[] weight)
    {
        var cdf = new double[weight.Length];
        double acc = 0;
        for (int i = 0; i < weight.Length; i++) cdf[i] = acc += weight[i];
        return cdf;
    }

    /// <summary>Index k in [start, end) with probability proportional to cdf[k] - cdf[k-1].</summary>
    private static int SampleCdf(double[] cdf, int start, int end, Random rng)
    {
        double below = start > 0 ? cdf[start - 1] : 0;
        double r = below + rng.NextDouble() * (cdf[end - 1] - below);
        int lo = start, hi = end - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (cdf[mid] > r) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    private static int SampleLinear(double[] weight, Random rng)
    {
        double total = 0;
        foreach (var w in weight) total += w;
        double r = rng.NextDouble() * total;
        int last = 0;
        for (int g = 0; g < weight.Length; g++)
        {
            if (weight[g] <= 0) continue;
            last = g;
            if ((r -= weight[g]) < 0) return g;
        }
        return last;
    }

    private static int[] Permutation(int n, Random rng)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        rng.Shuffle(p);
        return p;
    }

    private static double Gaussian(Random rng)
    {
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
