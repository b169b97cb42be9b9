using Unlearning.Attack;

namespace Unlearning.Tests.Attack;

public class AttackerTests
{
    private static readonly AttackOptions OneRepeat = new() { Repeats = 1 };

    public static TheoryData<string> Attackers => ["MLP", "Tree"];

    private static IAttacker Create(string name) => name == "MLP" ? new MlpAttacker() : new TreeAttacker();

    [Theory]
    [MemberData(nameof(Attackers))]
    public void SeparableGroupsAreFound(string name)
    {
        var (x, labels) = SyntheticEmbeddings.Gaussian(400, 32, shift: 0.5, seed: 1);
        var report = AttackEvaluator.Evaluate(Create(name), x, 32, labels, 1, OneRepeat);
        Assert.True(report.Mean.Auc > 0.9, $"{name} AUC {report.Mean.Auc}");
        Assert.True(report.Mean.Accuracy > 0.8, $"{name} accuracy {report.Mean.Accuracy}");
    }

    [Theory]
    [MemberData(nameof(Attackers))]
    public void EachOfSeveralGroupsIsFound(string name)
    {
        var (x, labels) = SyntheticEmbeddings.Groups(600, 8, groups: 3, shift: 2.5, seed: 11);
        var report = AttackEvaluator.Evaluate(Create(name), x, 8, labels, 2, OneRepeat);
        Assert.Equal(3, report.Mean.GroupAuc!.Count);
        Assert.All(report.Mean.GroupAuc, auc => Assert.True(auc > 0.85, $"{name} group AUCs {string.Join(", ", report.Mean.GroupAuc)}"));
        // Chance is one in three.
        Assert.True(report.Mean.Accuracy > 0.7, $"{name} accuracy {report.Mean.Accuracy}");
        Assert.True(report.Mean.Leakage > 0.35, $"{name} leakage {report.Mean.Leakage}");
        Assert.Equal(3 * labels.GroupBy(l => l).Min(g => g.Count()), report.BalancedUsers);
    }

    [Theory]
    [MemberData(nameof(Attackers))]
    public void SeveralGroupsOfLabelIndependentNoiseGiveChance(string name)
    {
        var (x, labels) = SyntheticEmbeddings.Groups(600, 8, groups: 4, shift: 0, seed: 12);
        var report = AttackEvaluator.Evaluate(Create(name), x, 8, labels, 3, OneRepeat);
        Assert.InRange(report.Mean.Auc, 0.42, 0.58);
        Assert.InRange(report.Mean.Accuracy, 0.15, 0.35);
        Assert.True(report.Mean.Leakage < 0.12, $"{name} leakage {report.Mean.Leakage}");
    }

    [Theory]
    [MemberData(nameof(Attackers))]
    public void GroupProbabilitiesAreSeededAndSumToOne(string name)
    {
        var (x, labels) = SyntheticEmbeddings.Groups(130, 4, groups: 3, shift: 1, seed: 13);
        var attacker = Create(name);
        var first = attacker.FitPredictGroups(x[..(100 * 4)], labels[..100], x[(100 * 4)..], 4, 3, seed: 5);
        Assert.Equal(30 * 3, first.Length);
        for (int i = 0; i < 30; i++) Assert.Equal(1.0, first[(i * 3)..(i * 3 + 3)].Sum(), 5);
        Assert.Equal(first, attacker.FitPredictGroups(x[..(100 * 4)], labels[..100], x[(100 * 4)..], 4, 3, seed: 5));
        Assert.Throws<ArgumentException>(() => attacker.FitPredictGroups(x[..(100 * 4)], labels[..100].Select(l => l % 2).ToArray(), x[(100 * 4)..], 4, 3, seed: 5));
    }

    [Theory]
    [MemberData(nameof(Attackers))]
    public void LabelIndependentNoiseGivesChance(string name)
    {
        var (x, labels) = SyntheticEmbeddings.Gaussian(400, 32, shift: 0, seed: 2);
        var report = AttackEvaluator.Evaluate(Create(name), x, 32, labels, 1, OneRepeat);
        Assert.InRange(report.Mean.Auc, 0.4, 0.6);
    }

    [Theory]
    [MemberData(nameof(Attackers))]
    public void FitPredictIsSeeded(string name)
    {
        var (x, labels) = SyntheticEmbeddings.Gaussian(120, 8, shift: 0.3, seed: 3);
        var xTrain = x[..(100 * 8)];
        var xTest = x[(100 * 8)..];
        var attacker = Create(name);
        var first = attacker.FitPredict(xTrain, labels[..100], xTest, 8, seed: 5);
        Assert.Equal(20, first.Length);
        Assert.All(first, p => Assert.InRange(p, 0, 1));
        Assert.Equal(first, attacker.FitPredict(xTrain, labels[..100], xTest, 8, seed: 5));
    }

    [Fact]
    public void MlpStopsOnceTheLossStallsAndWithinMaxEpochs()
    {
        var (x, labels) = SyntheticEmbeddings.Gaussian(200, 8, shift: 1, seed: 6);
        new MlpAttacker().FitPredict(x, labels, x[..8], 8, seed: 1, out int epochs);
        Assert.InRange(epochs, 12, 499);
        new MlpAttacker(new MlpAttackerOptions { MaxEpochs = 7 }).FitPredict(x, labels, x[..8], 8, seed: 1, out epochs);
        Assert.Equal(7, epochs);
    }

    [Fact]
    public void EvaluatorIsDeterministicForASeed()
    {
        // Imbalanced groups, so balancing draws a seeded subset of the majority.
        var (x, labels) = SyntheticEmbeddings.Gaussian(300, 16, shift: 0.2, seed: 4, positiveShare: 0.3);
        var options = new AttackOptions { Seed = 9 };
        var attacker = new MlpAttacker(new MlpAttackerOptions { MaxEpochs = 30 });
        var first = AttackEvaluator.Evaluate(attacker, x, 16, labels, 1, options);
        var second = AttackEvaluator.Evaluate(attacker, x, 16, labels, 1, options);
        Assert.Equal(first, second);
        Assert.Equal(15, first.Folds);
        Assert.Equal(2 * labels.Count(l => l == 1), first.BalancedUsers);
        Assert.Equal("MLP", first.Attacker);
        var other = AttackEvaluator.Evaluate(attacker, x, 16, labels, 1, options with { Seed = 10 });
        Assert.NotEqual(first.Mean, other.Mean);
    }

    [Fact]
    public void EvaluatorRejectsAMissingPositiveLabel()
    {
        var (x, labels) = SyntheticEmbeddings.Gaussian(50, 4, shift: 0, seed: 5);
        Assert.Throws<ArgumentException>(() => AttackEvaluator.Evaluate(new TreeAttacker(), x, 4, labels, 7, new AttackOptions()));
    }
}
