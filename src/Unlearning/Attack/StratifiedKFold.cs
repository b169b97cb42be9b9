namespace Unlearning.Attack;

/// <summary>Stratified k-fold splits with shuffling, like scikit-learn's <c>StratifiedKFold(shuffle=True)</c>.</summary>
public static class StratifiedKFold
{
    /// <summary>
    /// Shuffles the indices of every class (classes in ascending label order), then deals them
    /// round-robin to the folds with one counter running across classes, so every fold holds
    /// each class within ±1 of its share and fold sizes differ by at most one.
    /// Yields (train, test) index pairs, both ascending; the test folds partition the data.
    /// </summary>
    public static IEnumerable<(int[] Train, int[] Test)> Split(int[] labels, int folds, Random rng)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(rng);
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), folds, "Need at least 2 folds.");
        if (folds > labels.Length)
            throw new ArgumentException($"Cannot split {labels.Length} rows into {folds} folds.", nameof(folds));

        var foldOf = new int[labels.Length];
        int next = 0;
        foreach (var members in BalancedSampler.IndicesByClass(labels).Values)
        {
            var shuffled = members.ToArray();
            BalancedSampler.PartialShuffle(shuffled, shuffled.Length, rng);
            foreach (int index in shuffled)
            {
                foldOf[index] = next;
                next = (next + 1) % folds;
            }
        }
        return Folds(foldOf, folds);
    }

    private static IEnumerable<(int[] Train, int[] Test)> Folds(int[] foldOf, int folds)
    {
        for (int f = 0; f < folds; f++)
        {
            var train = new List<int>();
            var test = new List<int>();
            for (int i = 0; i < foldOf.Length; i++) (foldOf[i] == f ? test : train).Add(i);
            yield return ([.. train], [.. test]);
        }
    }
}
