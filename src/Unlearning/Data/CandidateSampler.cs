namespace Unlearning.Data;

/// <summary>
/// Protocol step 5: per user, the test positive followed by <c>negatives</c> items drawn
/// uniformly without replacement from the items the user never interacted with (train or test).
/// The same for the validation positive, when there is one: each list excludes the other's positive.
/// </summary>
internal static class CandidateSampler
{
    /// <param name="notEnough">Builds the error for a user with fewer than <c>negatives</c> unseen items.</param>
    /// <param name="positives">Per user, the held-out item its row starts with.</param>
    /// <param name="alsoSeen">Per user, one more interacted item to leave out (the other held-out item); null: none.</param>
    public static int[] Sample(int numItems, int[] trainOffsets, int[] trainItems, int[] positives, int negatives,
        Random rng, Func<int, int, Exception> notEnough, int[]? alsoSeen = null)
    {
        int numUsers = positives.Length;
        int perUser = negatives + 1;
        var candidates = new int[numUsers * perUser];
        var stamp = new int[numItems]; // stamp[i] == u + 1: item i is excluded for user u
        var pool = new List<int>();
        for (int u = 0; u < numUsers; u++)
        {
            int mark = u + 1;
            stamp[positives[u]] = mark;
            for (int k = trainOffsets[u]; k < trainOffsets[u + 1]; k++) stamp[trainItems[k]] = mark;
            if (alsoSeen is not null) stamp[alsoSeen[u]] = mark;
            int available = numItems - (trainOffsets[u + 1] - trainOffsets[u] + 1 + (alsoSeen is null ? 0 : 1));
            if (available < negatives) throw notEnough(u, available);

            var row = candidates.AsSpan(u * perUser, perUser);
            row[0] = positives[u];
            if (available >= 2 * negatives && 2 * available >= numItems)
            {
                // Rejection sampling: each accepted draw is uniform over the items still allowed.
                for (int n = 1; n < perUser;)
                {
                    int item = rng.Next(numItems);
                    if (stamp[item] == mark) continue;
                    stamp[item] = mark;
                    row[n++] = item;
                }
            }
            else
            {
                // Dense user: partial Fisher-Yates over the explicit list of unseen items.
                pool.Clear();
                for (int i = 0; i < numItems; i++)
                    if (stamp[i] != mark) pool.Add(i);
                for (int n = 0; n < negatives; n++)
                {
                    int j = n + rng.Next(pool.Count - n);
                    (pool[n], pool[j]) = (pool[j], pool[n]);
                    row[n + 1] = pool[n];
                }
            }
        }
        return candidates;
    }
}
