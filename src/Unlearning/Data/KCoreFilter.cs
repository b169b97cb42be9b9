namespace Unlearning.Data;

/// <summary>
/// Protocol step 2: iterative k-core. Removes users with fewer than <c>minUser</c> and items
/// with fewer than <c>minItem</c> remaining interactions, recounting after every pass until a
/// pass removes nothing; the result is the largest sub-graph that meets both thresholds.
/// </summary>
internal static class KCoreFilter
{
    /// <param name="userAlive">In: users allowed at all (e.g. those with an attribute). Out: survivors.</param>
    /// <param name="itemAlive">In: items allowed at all. Out: survivors.</param>
    /// <returns>The number of counting passes (the last one changes nothing).</returns>
    public static int Run(int[] users, int[] items, bool[] userAlive, bool[] itemAlive, int minUser, int minItem)
    {
        var userDegree = new int[userAlive.Length];
        var itemDegree = new int[itemAlive.Length];
        for (int pass = 1; ; pass++)
        {
            Array.Clear(userDegree);
            Array.Clear(itemDegree);
            for (int k = 0; k < users.Length; k++)
            {
                int u = users[k], i = items[k];
                if (userAlive[u] && itemAlive[i]) { userDegree[u]++; itemDegree[i]++; }
            }
            bool changed = Remove(userAlive, userDegree, minUser) | Remove(itemAlive, itemDegree, minItem);
            if (!changed) return pass;
        }
    }

    private static bool Remove(bool[] alive, int[] degree, int min)
    {
        bool changed = false;
        for (int x = 0; x < alive.Length; x++)
            if (alive[x] && degree[x] < min) { alive[x] = false; changed = true; }
        return changed;
    }
}
