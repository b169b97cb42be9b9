using Unlearning.Attack;
using Unlearning.Tests.Shared;
using Unlearning.Training;

namespace Unlearning.Tests.Attack;

/// <summary>Partial requests (<c>unlearning.request_fraction</c>): which users ask, and the disclosed
/// attack that learns from those who did not and predicts those who did.</summary>
public sealed class PartialRequestTests
{
    private static readonly int[] Groups = [.. Enumerable.Range(0, 300).Select(i => i < 200 ? 0 : 1)];

    [Fact]
    public void EachGroupAsksInProportionTheSameUsersForTheSameSeed()
    {
        var asked = UnlearningRequests.Draw(Groups, 0.3, seed: 5);
        Assert.Equal(60, Enumerable.Range(0, 200).Count(u => asked[u]));
        Assert.Equal(30, Enumerable.Range(200, 100).Count(u => asked[u]));
        Assert.Equal(asked, UnlearningRequests.Draw(Groups, 0.3, seed: 5));
        Assert.NotEqual(asked, UnlearningRequests.Draw(Groups, 0.3, seed: 6));
        Assert.All(UnlearningRequests.Draw(Groups, 1, seed: 5), Assert.True);
        Assert.Equal(1, UnlearningRequests.Draw(Groups, 0.001, seed: 5).Take(200).Count(a => a));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void AFractionOutsideZeroToOneIsRefusedNamingTheSetting(double fraction) =>
        Assert.Contains("unlearning.request_fraction", Assert.Throws<ArgumentException>(() => UnlearningRequests.Draw(Groups, fraction, 1)).Message);

    [Fact]
    public void TheDisclosedAttackerLearnsFromNonRequestersAndPredictsExactlyTheRequesters()
    {
        var groups = Enumerable.Range(0, 80).Select(i => i % 2).ToArray();
        var requested = UnlearningRequests.Draw(groups, 0.25, seed: 9);
        var options = new AttackOptions { Threat = AttackThreat.Disclosed, Repeats = 3 };
        var splits = AttackEvaluator.Splits(groups, options, requested).ToList();
        Assert.Equal(3, splits.Count);
        foreach (var (train, test) in splits)
        {
            Assert.Equal(Enumerable.Range(0, 80).Where(i => requested[i]), test);
            Assert.Equal(Enumerable.Range(0, 80).Where(i => !requested[i]), train);
        }
        // Without requests the disclosed split is the public share of each group, as before.
        Assert.NotEqual(splits[0].Test, AttackEvaluator.Splits(groups, options).First().Test);
    }

    /// <summary>Requesters whose signal is gone are at chance for an attacker that learned on the others,
    /// while the others keep theirs: the evaluation sees the requesters only.</summary>
    [Fact]
    public void OnlyTheRequestersAreScored()
    {
        var (leaking, labels) = SyntheticEmbeddings.Gaussian(400, 16, shift: 1.0, seed: 2);
        var requested = UnlearningRequests.Draw(labels, 0.3, seed: 4);
        var (scrubbed, _) = SyntheticEmbeddings.Gaussian(400, 16, shift: 0, seed: 3);
        // The requesters' rows scrubbed, everyone else's leaking.
        var mixed = (float[])leaking.Clone();
        for (int u = 0; u < labels.Length; u++)
            if (requested[u]) Array.Copy(scrubbed, u * 16, mixed, u * 16, 16);
        var disclosed = new AttackOptions { Threat = AttackThreat.Disclosed, Repeats = 2 };
        var logistic = new LogisticAttacker();
        var onRequesters = AttackEvaluator.Evaluate(logistic, mixed, 16, labels, 1, disclosed, requested: requested);
        Assert.True(Math.Abs(onRequesters.Mean.Auc - 0.5) < 0.12, $"requesters: AUC {onRequesters.Mean.Auc}");
        // Premise: the same attack on everyone (no requests) still reads the leaking majority.
        Assert.True(AttackEvaluator.Evaluate(logistic, mixed, 16, labels, 1, disclosed).Mean.Auc > 0.75);
    }

    [Fact]
    public void AGroupWithoutRequestersCannotBeAttackedAndSaysWhy()
    {
        var groups = Enumerable.Range(0, 40).Select(i => i % 2).ToArray();
        var requested = groups.Select(g => g == 0).ToArray();
        var error = Assert.Throws<ArgumentException>(() => AttackEvaluator.Splits(groups, new AttackOptions { Threat = AttackThreat.Disclosed }, requested).ToList());
        Assert.Contains("unlearning.request_fraction", error.Message);
    }
}
