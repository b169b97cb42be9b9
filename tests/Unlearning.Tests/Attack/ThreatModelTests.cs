using Unlearning.Attack;
using Unlearning.Experiments;
using Unlearning.Tests.Shared;

namespace Unlearning.Tests.Attack;

/// <summary>The attack's threat models: the paper's folds untouched; a stale attacker, trained on the
/// representations before unlearning, at chance where unlearning removed the signal and high where it
/// did not; a disclosed split that never trains on the users it predicts.</summary>
public sealed class ThreatModelTests
{
    private static readonly AttackOptions Paper = new() { Repeats = 2 };

    [Fact]
    public void ThePapersSplitsAreTheRepeatedStratifiedFolds()
    {
        var groups = Enumerable.Range(0, 60).Select(i => i % 2).ToArray();
        var expected = new List<(int[], int[])>();
        for (int repeat = 0; repeat < Paper.Repeats; repeat++)
            expected.AddRange(StratifiedKFold.Split(groups, Paper.Folds, new Random(AttackEvaluator.DeriveSeed(Paper.Seed, 1 + repeat))));
        var splits = AttackEvaluator.Splits(groups, Paper).ToList();
        Assert.Equal(expected.Count, splits.Count);
        for (int i = 0; i < splits.Count; i++)
            Assert.True(expected[i].Item1.SequenceEqual(splits[i].Train) && expected[i].Item2.SequenceEqual(splits[i].Test), $"split {i} differs");
    }

    [Fact]
    public void AStaleAttackerScoresChanceWhereTheSignalWasRemovedAndHighWhereItWasNot()
    {
        var (original, labels) = SyntheticEmbeddings.Gaussian(400, 16, shift: 1.0, seed: 2);
        var (scrubbed, _) = SyntheticEmbeddings.Gaussian(400, 16, shift: 0, seed: 3);
        var stale = Paper with { Threat = AttackThreat.Stale };
        var logistic = new LogisticAttacker();
        var onOriginal = AttackEvaluator.Evaluate(logistic, original, 16, labels, 1, stale, before: original);
        var onScrubbed = AttackEvaluator.Evaluate(logistic, scrubbed, 16, labels, 1, stale, before: original);
        Assert.True(onOriginal.Mean.Auc > 0.9, $"stale attacker on the Original: AUC {onOriginal.Mean.Auc}");
        Assert.True(Math.Abs(onScrubbed.Mean.Auc - 0.5) < 0.1, $"stale attacker on scrubbed embeddings: AUC {onScrubbed.Mean.Auc}");
        // Premise: the paper's attacker would find nothing in the scrubbed embeddings either, and everything in the Original.
        Assert.True(AttackEvaluator.Evaluate(logistic, original, 16, labels, 1, Paper).Mean.Auc > 0.9);

        // Unlearning that moved the signal to an orthogonal direction: the paper's attacker, trained on the
        // new embeddings, finds it; the stale one, trained before, does not (it learned the old direction).
        var random = new Random(5);
        var moved = new float[original.Length];
        for (int i = 0; i < labels.Length; i++)
            for (int j = 0; j < 16; j++)
                moved[i * 16 + j] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()) + labels[i] * (j % 2 == 0 ? 1.0 : -1.0));
        var fresh = AttackEvaluator.Evaluate(logistic, moved, 16, labels, 1, Paper).Mean.Auc;
        var old = AttackEvaluator.Evaluate(logistic, moved, 16, labels, 1, stale, before: original).Mean.Auc;
        Assert.True(fresh > 0.9 && Math.Abs(old - 0.5) < 0.1, $"moved signal: paper attacker AUC {fresh}, stale attacker AUC {old}");
        var e = Assert.Throws<ArgumentException>(() => AttackEvaluator.Evaluate(logistic, scrubbed, 16, labels, 1, stale));
        Assert.Contains("attack.threat=stale", e.Message);
    }

    [Fact]
    public void TheDisclosedSplitNeverTrainsOnTheUsersItPredicts()
    {
        var groups = Enumerable.Range(0, 200).Select(i => i % 2).ToArray();
        var options = Paper with { Threat = AttackThreat.Disclosed, DisclosedFraction = 0.2, Repeats = 3 };
        var splits = AttackEvaluator.Splits(groups, options).ToList();
        Assert.Equal(3, splits.Count);
        foreach (var (train, test) in splits)
        {
            Assert.Empty(train.Intersect(test));
            Assert.Equal(200, train.Length + test.Length);
            Assert.Equal(20, train.Count(i => groups[i] == 0));
            Assert.Equal(20, train.Count(i => groups[i] == 1));
        }
        Assert.False(splits[0].Train.SequenceEqual(splits[1].Train), "each repeat draws its own public users");
        var (x, labels) = SyntheticEmbeddings.Gaussian(400, 16, shift: 1.0, seed: 4);
        Assert.True(AttackEvaluator.Evaluate(new LogisticAttacker(), x, 16, labels, 1, options).Mean.Auc > 0.85);
        Assert.Throws<ArgumentException>(() => AttackThreat.Require(Paper with { Threat = "oracle" }));
        Assert.Throws<ArgumentException>(() => AttackThreat.Require(Paper with { DisclosedFraction = 1 }));
    }

    [Fact]
    public void CellsTakeTheThreatFromTheirProfileAndARetrainCannotBeStale()
    {
        Assert.Contains("attack.threat", CellHash.Extensions);
        Assert.DoesNotContain("threat", CellHash.Canonical(new CellSpec("synthetic-small", "ncf", "original", "paper").Validate(), ExperimentProfile.Get("paper"), "data", CellRunner.EngineRevision));
        using var temp = new TempFolder("threat-");
        var runner = new CellRunner(new EngineSettings { DataDir = temp.Path, OutDir = temp.Path, Device = "cpu" });
        var stale = runner.Run(new CellSpec("synthetic-small", "ncf", "d2d", "tiny;attack.threat=stale", 7));
        var paper = runner.Run(new CellSpec("synthetic-small", "ncf", "d2d", "tiny", 7));
        Assert.NotEqual(paper.ConfigHash, stale.ConfigHash);
        Assert.NotEqual(paper.Attacks[0].Mean.Auc, stale.Attacks[0].Mean.Auc);
        // The stored cell's Original is found beside it, by the hash it recorded.
        Assert.Equal(paper.OriginalConfigHash, RepresentationAttack.OriginalOf(paper, paper.ResultPath).ConfigHash);
        var e = Assert.Throws<ArgumentException>(() => runner.Run(new CellSpec("synthetic-small", "ncf", "retrain", "tiny;attack.threat=stale", 7)));
        Assert.Contains("attack --cell", e.Message);
        Assert.Throws<ArgumentException>(() => runner.Run(new CellSpec("synthetic-small", "ncf", "original", "tiny;attack.threat=oracle", 7)));
    }
}
