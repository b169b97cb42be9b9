namespace Unlearning.Data;

/// <summary>Protocol step 1: duplicate (user, item) pairs collapse to one, keeping the latest
/// timestamp; among equal timestamps (or without timestamps) the last occurrence in the file.</summary>
internal static class PairDeduplicator
{
    public static UniquePairs Run(RawDataset raw)
    {
        int n = raw.Count;
        long itemCount = Math.Max(1, raw.ItemIds.Count);
        var keys = new long[n];
        var order = new int[n];
        for (int k = 0; k < n; k++)
        {
            keys[k] = raw.Users[k] * itemCount + raw.Items[k];
            order[k] = k;
        }
        Array.Sort(keys, order);

        var times = raw.Timestamps;
        var users = new List<int>(n);
        var items = new List<int>(n);
        var positions = new List<int>(n);
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            int best = order[start];
            while (end < n && keys[end] == keys[start])
            {
                int candidate = order[end++];
                if (IsLater(times, candidate, best)) best = candidate;
            }
            users.Add(raw.Users[best]);
            items.Add(raw.Items[best]);
            positions.Add(best);
            start = end;
        }
        return new UniquePairs([.. users], [.. items], [.. positions]);
    }

    /// <summary>Order of "more recent": later timestamp, then later position in the file.</summary>
    public static bool IsLater(long[]? times, int a, int b)
    {
        if (times is not null && times[a] != times[b]) return times[a] > times[b];
        return a > b;
    }
}
