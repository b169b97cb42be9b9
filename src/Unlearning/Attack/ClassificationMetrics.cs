using System.Text.Json.Serialization;

namespace Unlearning.Attack;

/// <summary>Classification quality of one attacker on one test fold (or an aggregate of folds):
/// binary for two groups; for more, the macro averages over the groups (scikit-learn's
/// <c>average="macro"</c>, and <c>roc_auc_score(multi_class="ovr")</c>).</summary>
/// <param name="Accuracy">Fraction of correct predictions.</param>
/// <param name="Precision">TP / (TP + FP); 0 when nothing is predicted positive. Groups: the mean over groups.</param>
/// <param name="Recall">TP / (TP + FN). Groups: the mean over groups.</param>
/// <param name="Auc">ROC AUC (Mann-Whitney rank statistic, ties get average ranks). Groups: the mean
/// of each group's one-vs-rest AUC.</param>
public sealed record ClassificationMetrics(double Accuracy, double Precision, double Recall, double Auc)
{
    /// <summary>|AUC - 0.5|: an AUC well below 0.5 leaks as much as one above (flip the prediction).
    /// Groups: the largest |AUC_j - 0.5| of the groups' one-vs-rest AUCs (the group the representation
    /// gives away most). In a <see cref="StandardDeviation"/>, the standard deviation of the folds' leakage.</summary>
    public double Leakage { get; init; } = Math.Abs(Auc - 0.5);

    /// <summary>Each group's one-vs-rest AUC, by group id, for more than two groups; null for two.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<double>? GroupAuc { get; init; }

    /// <summary>Multi-class metrics of a fold: <paramref name="probabilities"/> holds, row-major, each
    /// row's probability of each of <paramref name="groups"/> groups; the prediction is the most
    /// probable group (the first of equals, as numpy's argmax). Every group must be in the truth.</summary>
    public static ClassificationMetrics Compute(int[] truth, double[] probabilities, int groups)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (groups < 2) throw new ArgumentOutOfRangeException(nameof(groups), groups, "Need at least two groups.");
        if (probabilities.Length != truth.Length * groups)
            throw new ArgumentException($"probabilities has {probabilities.Length} values, expected {truth.Length} rows x {groups} groups.", nameof(probabilities));
        var actual = new int[groups];
        foreach (var t in truth)
        {
            if (t < 0 || t >= groups) throw new ArgumentException($"group {t} is outside 0..{groups - 1}.", nameof(truth));
            actual[t]++;
        }
        if (actual.Any(n => n == 0)) throw new ArgumentException("Every group must be in truth (one-vs-rest AUC needs both classes).", nameof(truth));

        var predictedCount = new int[groups];
        var correct = new int[groups];
        for (int i = 0; i < truth.Length; i++)
        {
            int best = 0;
            for (int j = 1; j < groups; j++)
                if (probabilities[i * groups + j] > probabilities[i * groups + best]) best = j;
            predictedCount[best]++;
            if (best == truth[i]) correct[best]++;
        }
        var auc = new double[groups];
        for (int j = 0; j < groups; j++)
        {
            int group = j;
            var scores = new double[truth.Length];
            for (int i = 0; i < truth.Length; i++) scores[i] = probabilities[i * groups + group];
            auc[j] = RocAuc(truth.Select(t => t == group).ToArray(), scores, actual[j]);
        }
        return new ClassificationMetrics(
            (double)correct.Sum() / truth.Length,
            Enumerable.Range(0, groups).Average(j => predictedCount[j] == 0 ? 0 : (double)correct[j] / predictedCount[j]),
            Enumerable.Range(0, groups).Average(j => (double)correct[j] / actual[j]),
            auc.Average()) { GroupAuc = auc, Leakage = GroupLeakage(auc) };
    }

    private static double GroupLeakage(IEnumerable<double> groupAuc) => groupAuc.Max(a => Math.Abs(a - 0.5));

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

    /// <summary>Component-wise mean; with groups, its leakage is that of the groups' mean AUCs.</summary>
    public static ClassificationMetrics Mean(IEnumerable<ClassificationMetrics> metrics)
    {
        var list = NonEmpty(metrics);
        var mean = new ClassificationMetrics(
            list.Average(m => m.Accuracy), list.Average(m => m.Precision),
            list.Average(m => m.Recall), list.Average(m => m.Auc));
        if (GroupAucs(list) is not { } groupAuc) return mean;
        var meanAuc = groupAuc.Select(g => g.Average()).ToArray();
        return mean with { GroupAuc = meanAuc, Leakage = GroupLeakage(meanAuc) };
    }

    /// <summary>Component-wise population standard deviation (ddof = 0, as numpy's <c>std</c>).</summary>
    public static ClassificationMetrics StandardDeviation(IEnumerable<ClassificationMetrics> metrics)
    {
        var list = NonEmpty(metrics);
        return new ClassificationMetrics(
            Std(list, m => m.Accuracy), Std(list, m => m.Precision),
            Std(list, m => m.Recall), Std(list, m => m.Auc))
        {
            Leakage = Std(list, m => m.Leakage),
            GroupAuc = GroupAucs(list)?.Select(Std).ToArray(),
        };
    }

    /// <summary>Per group, its AUC in every fold; null for binary metrics.</summary>
    private static double[][]? GroupAucs(List<ClassificationMetrics> list)
    {
        if (list.All(m => m.GroupAuc is null)) return null;
        int groups = list[0].GroupAuc?.Count ?? 0;
        if (list.Any(m => m.GroupAuc is null || m.GroupAuc.Count != groups))
            throw new ArgumentException("Cannot aggregate metrics of different numbers of groups.");
        return Enumerable.Range(0, groups).Select(j => list.Select(m => m.GroupAuc![j]).ToArray()).ToArray();
    }

    private static double Std(double[] values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
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

    private static double Std(List<ClassificationMetrics> list, Func<ClassificationMetrics, double> value) => Std(list.Select(value).ToArray());
}
