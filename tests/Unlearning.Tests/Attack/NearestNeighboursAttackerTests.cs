using Unlearning.Attack;
using Unlearning.Catalog;
using Unlearning.Experiments;

namespace Unlearning.Tests.Attack;

/// <summary>The k-nearest-neighbours attacker, added through the catalog alone: its vote recomputed by
/// hand on a tiny case, a planted attribute found and noise not, a local (not linear) signal found where
/// logistic regression cannot see it, and its setting hashed only where set.</summary>
public class NearestNeighboursAttackerTests
{
    private static readonly AttackOptions OneRepeat = new() { Repeats = 1 };

    [Fact]
    public void EachGroupsShareOfTheNearestKTrainingUsers()
    {
        // One dimension: training users at 0, 1, 2 (group 0) and 10, 11 (group 1).
        float[] train = [0, 1, 2, 10, 11];
        int[] labels = [0, 0, 0, 1, 1];
        var knn = new NearestNeighboursAttacker(new NearestNeighboursAttacker.Settings { Neighbours = 3 });
        var p = knn.FitPredict(train, labels, [1.5f, 9, 6], 1, seed: 1);
        Assert.Equal(0.0, p[0], 12);          // neighbours 1, 2, 0: all group 0
        Assert.Equal(2.0 / 3, p[1], 12);      // 10, 11, 2
        Assert.Equal(1.0 / 3, p[2], 12);      // 2 and 10 (squared distance 16), then 1 before 11 (both 25: the earlier row)
        Assert.Throws<ArgumentException>(() => new NearestNeighboursAttacker(new() { Neighbours = 0 }).FitPredict(train, labels, [1f], 1, 1));
    }

    [Fact]
    public void ItFindsAPlantedAttributeNothingInNoiseAndALocalSignalThatIsNotLinear()
    {
        var attacker = Registry.Attackers.Get("knn").Create(ExperimentProfile.Get("paper").Section("knn_attacker"));
        Assert.Equal("kNN", attacker.Name);
        var (x, labels) = SyntheticEmbeddings.Gaussian(400, 8, shift: 1.0, seed: 2);
        Assert.True(AttackEvaluator.Evaluate(attacker, x, 8, labels, 1, OneRepeat).Mean.Auc > 0.8);
        var (noise, noiseLabels) = SyntheticEmbeddings.Gaussian(400, 8, shift: 0, seed: 3);
        Assert.True(Math.Abs(AttackEvaluator.Evaluate(attacker, noise, 8, noiseLabels, 1, OneRepeat).Mean.Auc - 0.5) < 0.1);

        // Group 1 on a ring around group 0: no line separates them, neighbours do.
        var random = new Random(4);
        int n = 400;
        var ring = new float[n * 2];
        var inside = new int[n];
        for (int i = 0; i < n; i++)
        {
            inside[i] = i % 2;
            double radius = inside[i] == 1 ? 3 + random.NextDouble() : random.NextDouble(), angle = random.NextDouble() * 2 * Math.PI;
            (ring[2 * i], ring[2 * i + 1]) = ((float)(radius * Math.Cos(angle)), (float)(radius * Math.Sin(angle)));
        }
        var knnAuc = AttackEvaluator.Evaluate(attacker, ring, 2, inside, 1, OneRepeat).Mean.Auc;
        var linearAuc = AttackEvaluator.Evaluate(new LogisticAttacker(), ring, 2, inside, 1, OneRepeat).Mean.Auc;
        Assert.True(knnAuc > 0.95 && Math.Abs(linearAuc - 0.5) < 0.15, $"kNN AUC {knnAuc}, logistic AUC {linearAuc}");
    }

    [Fact]
    public void ItsSettingIsHashedOnlyWhereSet()
    {
        Assert.Contains("knn_attacker.neighbours", CellHash.Extensions);
        var paper = CellHash.Canonical(new CellSpec("synthetic-small", "ncf", "original", "paper").Validate(), ExperimentProfile.Get("paper"), "data", CellRunner.EngineRevision);
        Assert.DoesNotContain("knn", paper);
        var changed = new CellSpec("synthetic-small", "ncf", "original", "paper;knn_attacker.neighbours=15").Validate();
        Assert.Contains("knn_attacker.neighbours=15", CellHash.Canonical(changed, ExperimentProfile.Get(changed.Profile), "data", CellRunner.EngineRevision));
    }
}
