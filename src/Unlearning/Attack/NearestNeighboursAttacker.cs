using Unlearning.Util;

namespace Unlearning.Attack;

/// <summary>
/// A k-nearest-neighbours attacker: a user's group is guessed from the k training users whose
/// representations are nearest (Euclidean), with scikit-learn's defaults (<c>KNeighborsClassifier()</c>:
/// k = 5, uniform weights), on the raw representation. It needs no training and makes no assumption
/// on the shape of the boundary, so it catches a signal that is local rather than linear. Written
/// here: neither ML.NET nor MathNet.Numerics has a nearest-neighbours classifier. Each group's
/// probability is its share of the k neighbours; ties in distance go to the earlier training row, so
/// the result is deterministic. Not one of the paper's attackers (<c>attack --attackers knn</c>).
/// </summary>
public sealed class NearestNeighboursAttacker(NearestNeighboursAttacker.Settings? options = null) : IAttacker
{
    /// <summary>Its settings, <c>knn_attacker.*</c>.</summary>
    public sealed record Settings : OptionsSection
    {
        /// <summary>Neighbours that vote (scikit-learn's n_neighbors).</summary>
        public int Neighbours { get; init; } = 5;
    }

    public Settings Options { get; } = options ?? new Settings();

    public string Name => "kNN";

    public double[] FitPredict(float[] xTrain, int[] yTrain, float[] xTest, int dim, int seed)
    {
        var shares = FitPredictGroups(xTrain, yTrain, xTest, dim, 2, seed);
        return [.. Enumerable.Range(0, shares.Length / 2).Select(r => shares[2 * r + 1])];
    }

    public double[] FitPredictGroups(float[] xTrain, int[] yTrain, float[] xTest, int dim, int groups, int seed)
    {
        var (trainRows, testRows) = AttackerInput.Validate(xTrain, yTrain, xTest, dim, groups);
        if (Options.Neighbours < 1) throw new ArgumentException($"knn_attacker.neighbours must be at least 1, got {Options.Neighbours}");
        int k = Math.Min(Options.Neighbours, trainRows);
        var shares = new double[testRows * groups];
        var distances = new double[trainRows];
        var order = new int[trainRows];
        for (int t = 0; t < testRows; t++)
        {
            var row = xTest.AsSpan(t * dim, dim);
            for (int r = 0; r < trainRows; r++)
            {
                var other = xTrain.AsSpan(r * dim, dim);
                double d = 0;
                for (int j = 0; j < dim; j++)
                {
                    double diff = row[j] - other[j];
                    d += diff * diff;
                }
                distances[r] = d;
                order[r] = r;
            }
            // Nearest first; equal distances by training row.
            Array.Sort(order, (a, b) => distances[a] != distances[b] ? distances[a].CompareTo(distances[b]) : a.CompareTo(b));
            for (int n = 0; n < k; n++) shares[t * groups + yTrain[order[n]]] += 1.0 / k;
        }
        return shares;
    }
}
