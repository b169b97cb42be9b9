namespace Unlearning.Metrics;

/// <summary>HR@K and NDCG@K (protocol.md section 5) averaged over users.</summary>
public sealed record RankingMetrics(IReadOnlyDictionary<int, double> HitRate, IReadOnlyDictionary<int, double> Ndcg)
{
    public static readonly int[] Cutoffs = [5, 10, 15, 20];

    public double Hr(int k) => HitRate[k];
    public double NdcgAt(int k) => Ndcg[k];

    /// <summary>0-based rank of the positive (column 0) among each row's candidates, descending score;
    /// ties count against the positive (a candidate scoring equal to it ranks above it).</summary>
    public static int[] PositiveRanks(float[] scores, int users, int candidates)
    {
        var ranks = new int[users];
        for (int u = 0; u < users; u++)
        {
            var row = scores.AsSpan(u * candidates, candidates);
            float positive = row[0];
            int rank = 0;
            for (int c = 1; c < candidates; c++)
                if (row[c] >= positive) rank++;
            ranks[u] = rank;
        }
        return ranks;
    }

    public static RankingMetrics FromRanks(IReadOnlyList<int> ranks)
    {
        var hr = new Dictionary<int, double>();
        var ndcg = new Dictionary<int, double>();
        foreach (var k in Cutoffs)
        {
            double hits = 0, gain = 0;
            foreach (var r in ranks)
            {
                if (r >= k) continue;
                hits += 1;
                gain += 1.0 / Math.Log2(r + 2);
            }
            hr[k] = ranks.Count == 0 ? 0 : hits / ranks.Count;
            ndcg[k] = ranks.Count == 0 ? 0 : gain / ranks.Count;
        }
        return new RankingMetrics(hr, ndcg);
    }

    /// <summary>The metrics of each group's users: <paramref name="groupOfUser"/>[u] indexes
    /// <paramref name="groups"/>, the groups' names in order. A group without users gets zeros.</summary>
    public static Dictionary<string, RankingMetrics> ByGroup(IReadOnlyList<int> ranks, IReadOnlyList<int> groupOfUser, IReadOnlyList<string> groups)
    {
        if (ranks.Count != groupOfUser.Count) throw new ArgumentException($"{ranks.Count} ranks for {groupOfUser.Count} users' groups");
        var members = groups.Select(_ => new List<int>()).ToArray();
        for (int u = 0; u < ranks.Count; u++) members[groupOfUser[u]].Add(ranks[u]);
        return groups.Select((name, g) => (name, g)).ToDictionary(x => x.name, x => FromRanks(members[x.g]));
    }

    public static RankingMetrics FromScores(float[] scores, int users, int candidates) =>
        FromRanks(PositiveRanks(scores, users, candidates));
}
