using Unlearning.Attack;
using Unlearning.Catalog;
using Unlearning.Experiments;

namespace Unlearning.Tests.Attack;

/// <summary>The attacker added through the catalog alone: it finds a linearly planted attribute,
/// finds nothing in noise, handles several groups, and its settings are settings by name that enter a
/// cell's hash only where set.</summary>
public class LogisticAttackerTests
{
    private static readonly AttackOptions OneRepeat = new() { Repeats = 1 };

    [Fact]
    public void ItFindsAPlantedAttributeAndNothingInNoise()
    {
        var attacker = Registry.Attackers.Get("logistic").Create(ExperimentProfile.Get("paper").Section("logistic_attacker"));
        var (x, labels) = SyntheticEmbeddings.Gaussian(400, 16, shift: 0.5, seed: 2);
        var planted = AttackEvaluator.Evaluate(attacker, x, 16, labels, 1, OneRepeat);
        Assert.True(planted.Mean.Auc > 0.9, $"AUC {planted.Mean.Auc}");
        var (noise, noiseLabels) = SyntheticEmbeddings.Gaussian(400, 16, shift: 0, seed: 3);
        var none = AttackEvaluator.Evaluate(attacker, noise, 16, noiseLabels, 1, OneRepeat);
        Assert.True(Math.Abs(none.Mean.Auc - 0.5) < 0.1, $"AUC {none.Mean.Auc} on noise");

        var (groupsX, groups) = SyntheticEmbeddings.Groups(600, 8, groups: 3, shift: 2.5, seed: 4);
        var multi = AttackEvaluator.Evaluate(attacker, groupsX, 8, groups, 2, OneRepeat);
        Assert.All(multi.Mean.GroupAuc!, auc => Assert.True(auc > 0.85, $"group AUCs {string.Join(", ", multi.Mean.GroupAuc!)}"));
    }

    [Fact]
    public void ItsSettingsAreHashedOnlyWhereSet()
    {
        Assert.Contains("logistic_attacker.l2_regularization", CellHash.Extensions);
        var spec = new CellSpec("synthetic-small", "ncf", "original", "paper").Validate();
        var paper = CellHash.Canonical(spec, ExperimentProfile.Get("paper"), "data", CellRunner.EngineRevision);
        Assert.DoesNotContain("logistic", paper);
        var changed = new CellSpec("synthetic-small", "ncf", "original", "paper;logistic_attacker.l2_regularization=0.5").Validate();
        var text = CellHash.Canonical(changed, ExperimentProfile.Get(changed.Profile), "data", CellRunner.EngineRevision);
        Assert.Contains("\"Extensions\":\"logistic_attacker.l2_regularization=0.5\"", text);
        // A stronger regularisation shrinks the weights towards no attack at all.
        var (x, labels) = SyntheticEmbeddings.Gaussian(400, 16, shift: 0.3, seed: 5);
        var weak = AttackEvaluator.Evaluate(new LogisticAttacker(), x, 16, labels, 1, OneRepeat);
        var strong = AttackEvaluator.Evaluate(new LogisticAttacker(new LogisticAttacker.Settings { L2Regularization = 1e5 }), x, 16, labels, 1, OneRepeat);
        Assert.True(strong.SingleClassFolds > 0 || strong.Mean.Accuracy < weak.Mean.Accuracy, $"weak {weak.Mean.Accuracy}, strong {strong.Mean.Accuracy}");
    }
}
