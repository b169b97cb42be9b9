namespace Unlearning.Attack;

/// <summary>Undersamples every class to the size of the smallest one.</summary>
public static class BalancedSampler
{
    /// <summary>
    /// Indices (ascending) of a balanced subset: from every label value present, a seeded random
    /// subset without replacement of the size of the smallest class. Classes are visited in
    /// ascending label order, so the result depends only on the labels and the generator.
    /// </summary>
    public static int[] Sample(int[] labels, Random rng)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(rng);
        var byClass = IndicesByClass(labels);
        if (byClass.Count == 0) return [];
        int size = byClass.Values.Min(members => members.Count);
        var chosen = new List<int>(size * byClass.Count);
        foreach (var members in byClass.Values)
        {
            var pool = members.ToArray();
            PartialShuffle(pool, size, rng);
            chosen.AddRange(pool.AsSpan(0, size).ToArray());
        }
        chosen.Sort();
        return [.. chosen];
    }

    internal static SortedDictionary<int, List<int>> IndicesByClass(int[] labels)
    {
        var byClass = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < labels.Length; i++)
        {
            if (!byClass.TryGetValue(labels[i], out var members)) byClass[labels[i]] = members = [];
            members.Add(i);
        }
        return byClass;
    }

    /// <summary>Fisher-Yates on the first <paramref name="count"/> positions: they become a uniform sample.</summary>
    internal static void PartialShuffle(int[] items, int count, Random rng)
    {
        for (int i = 0; i < count; i++)
        {
            int j = rng.Next(i, items.Length);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
