using Unlearning.Data;

namespace Unlearning.Training;

/// <summary>Builds one epoch of pointwise training data: every training pair (label 1) plus
/// <c>negatives</c> items drawn uniformly from items outside the user's training set (label 0),
/// shuffled. Uses the caller's seeded generator only.</summary>
public sealed class NegativeSampler(PreparedDataset data, int negatives)
{
    public (long[] Users, long[] Items, float[] Labels) SampleEpoch(Random rng)
    {
        int perPair = negatives + 1;
        long total = (long)data.NumTrain * perPair;
        var users = new long[total];
        var items = new long[total];
        var labels = new float[total];
        long at = 0;
        for (int u = 0; u < data.NumUsers; u++)
        {
            var seen = data.TrainItemsOf(u);
            foreach (var positive in seen)
            {
                users[at] = u; items[at] = positive; labels[at] = 1; at++;
                for (int n = 0; n < negatives; n++)
                {
                    users[at] = u; items[at] = Negative(seen, rng); at++;
                }
            }
        }
        Shuffle(users, items, labels, rng);
        return (users, items, labels);
    }

    /// <summary>BPR's epoch: every training pair once with one negative drawn as above, shuffled.</summary>
    public (long[] Users, long[] Positives, long[] Negatives) SampleTriples(Random rng)
    {
        var users = new long[data.NumTrain];
        var positives = new long[data.NumTrain];
        var negativeItems = new long[data.NumTrain];
        long at = 0;
        for (int u = 0; u < data.NumUsers; u++)
        {
            var seen = data.TrainItemsOf(u);
            foreach (var positive in seen)
            {
                users[at] = u; positives[at] = positive; negativeItems[at] = Negative(seen, rng); at++;
            }
        }
        for (long i = users.Length - 1; i > 0; i--)
        {
            long j = rng.NextInt64(i + 1);
            (users[i], users[j]) = (users[j], users[i]);
            (positives[i], positives[j]) = (positives[j], positives[i]);
            (negativeItems[i], negativeItems[j]) = (negativeItems[j], negativeItems[i]);
        }
        return (users, positives, negativeItems);
    }

    /// <summary>An item drawn uniformly from those outside the user's training items (sorted).</summary>
    private int Negative(ReadOnlySpan<int> seen, Random rng)
    {
        int candidate;
        do candidate = rng.Next(data.NumItems);
        while (seen.BinarySearch(candidate) >= 0);
        return candidate;
    }

    private static void Shuffle(long[] users, long[] items, float[] labels, Random rng)
    {
        for (int i = users.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (users[i], users[j]) = (users[j], users[i]);
            (items[i], items[j]) = (items[j], items[i]);
            (labels[i], labels[j]) = (labels[j], labels[i]);
        }
    }
}
