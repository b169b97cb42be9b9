using Unlearning.Attack;

namespace Unlearning.Tests.Attack;

/// <summary>An attacker that predicts one class for every user of a fold is counted and flagged,
/// never reported as if its accuracy and recall meant something.</summary>
public class DegenerateAttackerTests
{
    /// <summary>Ranks users by their first feature but always on one side of the threshold: a
    /// useful ranking (AUC) with a degenerate prediction, as a collapsed MLP gives.</summary>
    private sealed class OneSided : IAttacker
    {
        public string Name => "OneSided";

        public double[] FitPredict(float[] xTrain, int[] yTrain, float[] xTest, int dim, int seed) =>
            Enumerable.Range(0, xTest.Length / dim).Select(i => 0.9 + 0.01 * Math.Tanh(xTest[i * dim])).ToArray();

        public double[] FitPredictGroups(float[] xTrain, int[] yTrain, float[] xTest, int dim, int groups, int seed) =>
            Enumerable.Range(0, xTest.Length / dim).SelectMany(_ => Enumerable.Range(0, groups).Select(g => g == 0 ? 0.9 : 0.1 / (groups - 1))).ToArray();
    }

    [Fact]
    public void FoldsPredictingOneClassAreCountedAndFlagged()
    {
        var (x, labels) = SyntheticEmbeddings.Gaussian(300, 4, shift: 1, seed: 3);
        var report = AttackEvaluator.Evaluate(new OneSided(), x, 4, labels, 1, new AttackOptions { Folds = 3, Repeats = 2 });
        Assert.Equal((6, 6), (report.SingleClassFolds, report.Folds));
        // Its metrics are those of a constant prediction: the class balance, recall 1 ...
        Assert.Equal((0.5, 1.0), (report.Mean.Accuracy, report.Mean.Recall));
        // ... while its ranking is real.
        Assert.True(report.Mean.Auc > 0.7, $"AUC {report.Mean.Auc}");
        Assert.Equal("predicted one class for every user in 6 of 6 folds", report.Degenerate);

        var (groupsX, groups) = SyntheticEmbeddings.Groups(420, 8, groups: 7, shift: 1, seed: 4);
        var multi = AttackEvaluator.Evaluate(new OneSided(), groupsX, 8, groups, 6, new AttackOptions { Folds = 3, Repeats = 1 });
        Assert.Equal(3, multi.SingleClassFolds);
        Assert.Equal(1.0 / 7, multi.Mean.Recall, 12);
    }

    [Fact]
    public void AnAttackerThatSeparatesTheGroupsIsNotFlagged()
    {
        var (x, labels) = SyntheticEmbeddings.Gaussian(300, 16, shift: 0.6, seed: 5);
        var report = AttackEvaluator.Evaluate(new MlpAttacker(new MlpAttackerOptions { MaxEpochs = 50 }), x, 16, labels, 1, new AttackOptions { Folds = 3, Repeats = 1 });
        Assert.Equal(0, report.SingleClassFolds);
        Assert.Null(report.Degenerate);
    }

    [Fact]
    public void ResultsStoredBeforeFoldsWereCountedAreJudgedByTheirMetrics()
    {
        Assert.Equal("predicted one class for every user (accuracy 0.5, recall 1)", DegenerateAttacker.Note(null, 15, new ClassificationMetrics(0.5, 0.5, 1, 0.61)));
        Assert.NotNull(DegenerateAttacker.Note(null, 15, new ClassificationMetrics(0.5, 0, 0, 0.61)));
        Assert.Null(DegenerateAttacker.Note(null, 15, new ClassificationMetrics(0.62, 0.6, 0.7, 0.66)));
        Assert.Null(DegenerateAttacker.Note(0, 15, new ClassificationMetrics(0.5, 0.5, 1, 0.61)));
    }

    [Fact]
    public void OneClassIsJudgedOnThePredictionsNotTheScores()
    {
        Assert.True(DegenerateAttacker.OneClass([0.51, 0.9, 0.7]));
        Assert.True(DegenerateAttacker.OneClass([0.1, 0.5, 0.2])); // 0.5 is not above the threshold
        Assert.False(DegenerateAttacker.OneClass([0.49, 0.51]));
        Assert.True(DegenerateAttacker.OneClass([0.6, 0.4, 0.7, 0.3], groups: 2));
        Assert.False(DegenerateAttacker.OneClass([0.6, 0.4, 0.3, 0.7], groups: 2));
    }
}
