using Unlearning.Data;

namespace Unlearning.Tests;

/// <summary>Small in-memory datasets for engine tests (no files): users in two groups, group 1
/// preferring the upper half of the items so that the attribute leaks into behaviour.</summary>
public static class EngineTestData
{
    public static PreparedDataset Create(int users = 60, int items = 80, int perUser = 12, int seed = 1)
    {
        var rng = new Random(seed);
        var group = Enumerable.Range(0, users).Select(u => u % 3 == 0 ? 1 : 0).ToArray();
        var offsets = new int[users + 1];
        var train = new List<int>();
        var test = new int[users];
        var candidates = new int[users * PreparedDataset.CandidatesPerUser];
        for (int u = 0; u < users; u++)
        {
            var chosen = new SortedSet<int>();
            while (chosen.Count < perUser)
            {
                int half = items / 2;
                bool preferred = rng.NextDouble() < 0.8;
                int item = (group[u] == 1) == preferred ? half + rng.Next(items - half) : rng.Next(half);
                chosen.Add(item);
            }
            var list = chosen.ToList();
            test[u] = list[rng.Next(list.Count)];
            list.Remove(test[u]);
            train.AddRange(list);
            offsets[u + 1] = train.Count;
            candidates[u * 100] = test[u];
            var others = Enumerable.Range(0, items).Where(i => !chosen.Contains(i)).OrderBy(_ => rng.Next()).ToArray();
            for (int c = 1; c < 100; c++) candidates[u * 100 + c] = others[(c - 1) % others.Length];
        }
        return new PreparedDataset
        {
            Name = "tiny", NumUsers = users, NumItems = items, TrainOffsets = offsets, TrainItems = train.ToArray(),
            TestItems = test, TestCandidates = candidates, UserGroup = group, GroupValues = ["M", "F"], ContentHash = $"tiny-{seed}",
        };
    }
}
