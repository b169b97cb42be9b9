using Unlearning.Attack;

namespace Unlearning.Tests.Attack;

public class ClassificationMetricsTests
{
    [Fact]
    public void AucIsTheRankStatistic()
    {
        var m = ClassificationMetrics.Compute([false, false, true, true], [0.1, 0.4, 0.35, 0.8]);
        Assert.Equal(0.75, m.Auc, 12);
    }

    [Fact]
    public void TiedScoresCountHalf()
    {
        // Positives {0.5, 0.5, 0.9} vs negatives {0.2, 0.5}: pairs won 1+0.5 + 1+0.5 + 1+1 = 5 of 6.
        var m = ClassificationMetrics.Compute([false, true, false, true, true], [0.2, 0.5, 0.5, 0.5, 0.9]);
        Assert.Equal(5.0 / 6, m.Auc, 12);
        var allTied = ClassificationMetrics.Compute([true, false, true, false], [0.3, 0.3, 0.3, 0.3]);
        Assert.Equal(0.5, allTied.Auc, 12);
    }

    [Fact]
    public void GroupMetricsAreMacroAveragesAndLeakageIsTheLargestGroupsDeviation()
    {
        int[] truth = [0, 0, 1, 1, 2, 2];
        double[] probabilities =
        [
            0.6, 0.3, 0.1, // predicted 0, right
            0.2, 0.5, 0.3, // predicted 1, wrong
            0.1, 0.7, 0.2, // predicted 1, right
            0.3, 0.4, 0.3, // predicted 1, right
            0.2, 0.2, 0.6, // predicted 2, right
            0.5, 0.1, 0.4, // predicted 0, wrong
        ];
        var m = ClassificationMetrics.Compute(truth, probabilities, 3);
        Assert.Equal(4.0 / 6, m.Accuracy, 12);
        // Precision by group 1/2, 2/3, 1/1; recall 1/2, 2/2, 1/2.
        Assert.Equal((0.5 + 2.0 / 3 + 1) / 3, m.Precision, 12);
        Assert.Equal((0.5 + 1 + 0.5) / 3, m.Recall, 12);
        // One-vs-rest AUC: group 0's positives 0.6 and 0.2 against 0.1, 0.3, 0.2, 0.5 win 4 + 1.5 of 8
        // pairs; group 1's 0.7 and 0.4 win 4 + 3; group 2's 0.6 and 0.4 win all 8.
        Assert.Equal([5.5 / 8, 7.0 / 8, 1.0], m.GroupAuc!);
        Assert.Equal((5.5 / 8 + 7.0 / 8 + 1) / 3, m.Auc, 12);
        Assert.Equal(0.5, m.Leakage, 12);
    }

    [Fact]
    public void GroupLeakageOfTheMeanIsThatOfTheGroupsMeanAucs()
    {
        var first = new ClassificationMetrics(0.5, 0.5, 0.5, 0.5) { GroupAuc = [0.6, 0.5, 0.5], Leakage = 0.1 };
        var second = new ClassificationMetrics(0.5, 0.5, 0.5, 0.5) { GroupAuc = [0.5, 0.5, 0.3], Leakage = 0.2 };
        var mean = ClassificationMetrics.Mean([first, second]);
        Assert.Equal([0.55, 0.5, 0.4], mean.GroupAuc!.Select(a => Math.Round(a, 12)));
        Assert.Equal(0.1, mean.Leakage, 12);
        var std = ClassificationMetrics.StandardDeviation([first, second]);
        Assert.Equal(0.05, std.Leakage, 12);
        Assert.Equal([0.05, 0, 0.1], std.GroupAuc!.Select(a => Math.Round(a, 12)));
        Assert.Null(ClassificationMetrics.Mean([ClassificationMetrics.Compute([true, false], [0.9, 0.1])]).GroupAuc);
    }

    [Fact]
    public void GroupMetricsNeedEveryGroupInTheTruth()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([0, 0, 1, 1], [0.5, 0.3, 0.2, 0.5, 0.3, 0.2, 0.1, 0.8, 0.1, 0.1, 0.8, 0.1], 3));
        Assert.Contains("Every group", e.Message);
    }

    [Fact]
    public void ConfusionMatrixMetrics()
    {
        // TP = 2 (0.9, 0.6), FN = 1 (0.5 is not above the threshold), FP = 1 (0.7), TN = 4.
        bool[] truth = [true, true, true, false, false, false, false, false];
        double[] score = [0.9, 0.6, 0.5, 0.7, 0.1, 0.2, 0.3, 0.4];
        var m = ClassificationMetrics.Compute(truth, score);
        Assert.Equal(6.0 / 8, m.Accuracy, 12);
        Assert.Equal(2.0 / 3, m.Precision, 12);
        Assert.Equal(2.0 / 3, m.Recall, 12);
        // AUC: of the 3 x 5 pairs, 0.9 beats all 5 negatives, 0.6 and 0.5 beat 4 each.
        Assert.Equal(13.0 / 15, m.Auc, 12);
    }

    [Fact]
    public void NoPredictedPositivesGivesZeroPrecision()
    {
        var m = ClassificationMetrics.Compute([true, false, true], [0.1, 0.2, 0.3]);
        Assert.Equal(0, m.Precision);
        Assert.Equal(0, m.Recall);
        Assert.Equal(1.0 / 3, m.Accuracy, 12);
    }

    [Fact]
    public void LeakageCountsAucBelowHalf()
    {
        Assert.Equal(0.3, new ClassificationMetrics(0.5, 0.5, 0.5, 0.2).Leakage, 12);
        Assert.Equal(0.3, new ClassificationMetrics(0.5, 0.5, 0.5, 0.8).Leakage, 12);
    }

    [Fact]
    public void MeanAndPopulationStd()
    {
        ClassificationMetrics[] folds = [new(0.5, 0.2, 1.0, 0.6), new(0.7, 0.4, 0.0, 0.8)];
        var mean = ClassificationMetrics.Mean(folds);
        var std = ClassificationMetrics.StandardDeviation(folds);
        Assert.Equal(0.6, mean.Accuracy, 12);
        Assert.Equal(0.3, mean.Precision, 12);
        Assert.Equal(0.5, mean.Recall, 12);
        Assert.Equal(0.7, mean.Auc, 12);
        Assert.Equal(0.1, std.Accuracy, 12);
        Assert.Equal(0.5, std.Recall, 12);
    }

    /// <summary>The deviation's leakage is that of the folds' leakage (here none: AUC 0.3 and 0.7 both
    /// leak 0.2), not |sd(AUC) - 0.5|, and it survives result.json.</summary>
    [Fact]
    public void TheDeviationsLeakageIsTheFoldsLeakageDeviation()
    {
        ClassificationMetrics[] folds = [new(0.5, 0.5, 0.5, 0.3), new(0.5, 0.5, 0.5, 0.7), new(0.5, 0.5, 0.5, 0.9)];
        var std = ClassificationMetrics.StandardDeviation(folds);
        double meanLeak = (0.2 + 0.2 + 0.4) / 3;
        double expected = Math.Sqrt((2 * Math.Pow(0.2 - meanLeak, 2) + Math.Pow(0.4 - meanLeak, 2)) / 3);
        Assert.Equal(expected, std.Leakage, 12);
        Assert.Equal(1.9 / 3 - 0.5, ClassificationMetrics.Mean(folds).Leakage, 12); // |mean AUC - 0.5|
        var json = System.Text.Json.JsonSerializer.Serialize(std);
        Assert.Equal(expected, System.Text.Json.JsonSerializer.Deserialize<ClassificationMetrics>(json)!.Leakage, 12);
    }

    [Fact]
    public void AucNeedsBothClasses() =>
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([true, true], [0.1, 0.9]));
}
