namespace Unlearning.Attack;

/// <summary>Binary classification quality of one attacker on one test fold (or an aggregate of folds).</summary>
/// <param name="Accuracy">Fraction of correct predictions.</param>
/// <param name="Precision">TP / (TP + FP); 0 when nothing is predicted positive.</param>
/// <param name="Recall">TP / (TP + FN).</param>
/// <param name="Auc">ROC AUC (Mann-Whitney rank statistic, ties get average ranks).</param>
public sealed record ClassificationMetrics(double Accuracy, double Precision, double Recall, double Auc)
{
    /// <summary>|AUC - 0.5|: an AUC well below 0.5 leaks as much as one above (flip the prediction).
    /// In a <see cref="StandardDeviation"/>, the standard deviation of the folds' leakage instead.</summary>
    public double Leakage { get; init; } = Math.Abs(Auc - 0.5);

    /// <summary>
    /// Metrics of scores against the truth. A row is predicted positive when its score is strictly
    /// above <paramref name="threshold"/>, as scikit-learn's and XGBoost's <c>predict</c> do.
    /// </summary>
    public static ClassificationMetrics Compute(bool[] truth, double[] scorePositive, double threshold = 0.5)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(scorePositive);
        if (truth.Length != scorePositive.Length)
            throw new ArgumentException($"truth has {truth.Length} rows but scorePositive has {scorePositive.Length}.");
        int positives = truth.Count(t => t);
        if (positives == 0 || positives == truth.Length)
            throw new ArgumentException("ROC AUC needs both classes in truth.", nameof(truth));

        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            bool predicted = scorePositive[i] > threshold;
            if (predicted) { if (truth[i]) tp++; else fp++; }
            else { if (truth[i]) fn++; else tn++; }
        }
        double accuracy = (double)(tp + tn) / truth.Length;
        double precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        double recall = (double)tp / (tp + fn);
        return new ClassificationMetrics(accuracy, precision, recall, RocAuc(truth, scorePositive, positives));
    }

    /// <summary>Component-wise mean.</summary>
    public static ClassificationMetrics Mean(IEnumerable<ClassificationMetrics> metrics)
    {
        var list = NonEmpty(metrics);
        return new ClassificationMetrics(
            list.Average(m => m.Accuracy), list.Average(m => m.Precision),
            list.Average(m => m.Recall), list.Average(m => m.Auc));
    }

    /// <summary>Component-wise population standard deviation (ddof = 0, as numpy's <c>std</c>).</summary>
    public static ClassificationMetrics StandardDeviation(IEnumerable<ClassificationMetrics> metrics)
    {
        var list = NonEmpty(metrics);
        return new ClassificationMetrics(
            Std(list, m => m.Accuracy), Std(list, m => m.Precision),
            Std(list, m => m.Recall), Std(list, m => m.Auc)) { Leakage = Std(list, m => m.Leakage) };
    }

    private static double RocAuc(bool[] truth, double[] scores, int positives)
    {
        int n = scores.Length;
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (a, b) => scores[a].CompareTo(scores[b]));
        double positiveRankSum = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) end++;
            double averageRank = (start + end) / 2.0 + 1; // 1-based ranks start+1 .. end+1
            for (int k = start; k <= end; k++)
                if (truth[order[k]]) positiveRankSum += averageRank;
            start = end + 1;
        }
        int negatives = n - positives;
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    private static List<ClassificationMetrics> NonEmpty(IEnumerable<ClassificationMetrics> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var list = metrics.ToList();
        if (list.Count == 0) throw new ArgumentException("No metrics to aggregate.", nameof(metrics));
        return list;
    }

    private static double Std(List<ClassificationMetrics> list, Func<ClassificationMetrics, double> value)
    {
        double mean = list.Average(value);
        return Math.Sqrt(list.Average(m => (value(m) - mean) * (value(m) - mean)));
    }
}
