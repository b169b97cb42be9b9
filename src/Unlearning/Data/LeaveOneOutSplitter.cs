namespace Unlearning.Data;

/// <summary>
/// Protocol step 4: per user, the most recent interaction is the test positive. Among equal
/// latest timestamps the one that appears last in the raw file wins (a stable sort by
/// timestamp). Without timestamps a seeded random interaction is held out.
/// </summary>
internal static class LeaveOneOutSplitter
{
    /// <param name="offsets">CSR offsets of each user's interactions in <paramref name="items"/>.</param>
    /// <param name="items">Per user, items sorted ascending (fixes the order for the random pick).</param>
    /// <param name="positions">Raw file position of each interaction.</param>
    /// <param name="times">Timestamp by raw position, or null.</param>
    /// <returns>Index (into <paramref name="items"/>) of each user's test interaction, and the number
    /// of users with more than one interaction at their latest timestamp.</returns>
    public static (int[] TestIndex, int TiedUsers) Split(int[] offsets, int[] items, int[] positions, long[]? times, Random rng)
    {
        int numUsers = offsets.Length - 1;
        var test = new int[numUsers];
        int tied = 0;
        for (int u = 0; u < numUsers; u++)
        {
            int start = offsets[u], end = offsets[u + 1];
            if (times is null)
            {
                test[u] = start + rng.Next(end - start);
                continue;
            }
            int best = start, atLatest = 1;
            for (int k = start + 1; k < end; k++)
            {
                long tk = times[positions[k]], tb = times[positions[best]];
                if (tk == tb) atLatest++;
                else if (tk > tb) atLatest = 1;
                if (PairDeduplicator.IsLater(times, positions[k], positions[best])) best = k;
            }
            test[u] = best;
            if (atLatest > 1) tied++;
        }
        return (test, tied);
    }
}
