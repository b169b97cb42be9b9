using Unlearning.Attack;
using Unlearning.Data;
using Unlearning.Losses;
using Unlearning.Metrics;
using Unlearning.Models;
using Unlearning.Training;
using static TorchSharp.torch;

namespace Unlearning.Tests.Behaviour;

/// <summary>
/// Each method does what it is for, measured from outside the method on synthetic-small with its
/// planted gender signal: the quantity a method lowers is recomputed here independently (pair by
/// pair, kernel by kernel, or by training an attacker), not read from the method's own report.
/// </summary>
[Trait("Category", "Behaviour")]
public sealed class MethodBehaviourTests(TrainedOriginals originals) : IClassFixture<TrainedOriginals>
{
    private static readonly UnlearningOptions Paper = new();

    /// <summary>Each post-training method lowers what it minimises, recomputed here: U2U the sum over
    /// every (group 0, group 1) pair of squared distances, D2D the multi-kernel MMD.</summary>
    [Theory]
    [InlineData("ncf", UnlearningLoss.UserToUser)]
    [InlineData("lightgcn", UnlearningLoss.UserToUser)]
    [InlineData("ncf", UnlearningLoss.DistributionToDistribution)]
    [InlineData("lightgcn", UnlearningLoss.DistributionToDistribution)]
    public void UnlearningLowersTheDistinguishabilityItTargets(string kind, UnlearningLoss loss)
    {
        Func<IRecommender, PreparedDataset, double> measure = loss == UnlearningLoss.UserToUser ? Leakage.PairwiseU2U : Leakage.Mmd;
        using var model = originals.Load(kind);
        double before = measure(model, originals.Data);
        new PostTrainingUnlearner(originals.Data, Paper, loss).Unlearn(model);
        double after = measure(model, originals.Data);
        Assert.True(after < 0.2 * before, $"{loss}: {before:G4} -> {after:G4}");
    }

    /// <summary>D2D-R moves both attackers' AUC towards 0.5 (leakage |AUC − 0.5| down by at least 30 %)
    /// at a small cost in HR@10. 100 steps: on 300 users the paper's 500 overshoot, the MLP's AUC
    /// going well below 0.5 (0.22-0.32 here; the paper reports 0.36-0.40 on ML-100K).</summary>
    [Theory]
    [InlineData("ncf")]
    [InlineData("lightgcn")]
    public void D2DBringsTheAttackersAucTowardsHalfAndKeepsHr10(string kind)
    {
        IAttacker[] attackers = [new MlpAttacker(new MlpAttackerOptions()), new TreeAttacker(new TreeAttackerOptions())];
        using var model = originals.Load(kind);
        var before = attackers.Select(a => Leakage.Auc(model, originals.Data, a)).ToList();
        var outcome = new PostTrainingUnlearner(originals.Data, Paper with { Steps = 100 }, UnlearningLoss.DistributionToDistribution).Unlearn(model);
        var after = attackers.Select(a => Leakage.Auc(model, originals.Data, a)).ToList();
        for (int a = 0; a < attackers.Length; a++)
        {
            Assert.True(before[a] > 0.65, $"{attackers[a].Name}: the original should leak, AUC {before[a]:F3}");
            Assert.True(Math.Abs(after[a] - 0.5) < 0.7 * Math.Abs(before[a] - 0.5), $"{attackers[a].Name}: AUC {before[a]:F3} -> {after[a]:F3}");
        }
        double hrBefore = originals.Outcome(kind).BestMetrics.Hr(10);
        Assert.InRange(outcome.FinalMetrics.Hr(10), hrBefore - 0.06, 1);
    }

    /// <summary>CR-R (beyond the paper: the coding-rate objective) lowers the rate reduction R − R^c,
    /// recomputed here in the m x m form of the log-determinants, keeps all users' rate R near the
    /// original's and keeps HR@10 (100 steps, as for D2D-R above). What it does not do is printed, not
    /// asserted: the attackers' AUC moves little (NCF MLP 0.86 -> 0.83, LightGCN 0.85 -> 0.87 here),
    /// because equal second moments per group leave the groups' means apart (docs/benchmarks.md).</summary>
    [Theory]
    [InlineData("ncf")]
    [InlineData("lightgcn")]
    public void CodingRateLowersTheRateReductionAndKeepsHr10(string kind)
    {
        IAttacker[] attackers = [new MlpAttacker(new MlpAttackerOptions()), new TreeAttacker(new TreeAttackerOptions())];
        using var model = originals.Load(kind);
        var options = Paper with { Steps = 100 };
        var (rateBefore, reductionBefore) = Leakage.RateReduction(model, originals.Data, options.CodingRateEpsilon);
        var before = attackers.Select(a => Leakage.Auc(model, originals.Data, a)).ToList();
        var outcome = new PostTrainingUnlearner(originals.Data, options, UnlearningLoss.CodingRate).Unlearn(model);
        var (rateAfter, reductionAfter) = Leakage.RateReduction(model, originals.Data, options.CodingRateEpsilon);
        var after = attackers.Select(a => Leakage.Auc(model, originals.Data, a)).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine($"{kind}: R {rateBefore:F3} -> {rateAfter:F3}, R - R^c {reductionBefore:F4} -> {reductionAfter:F4}, " +
            $"AUC {string.Join(", ", before.Select(b => b.ToString("F3")))} -> {string.Join(", ", after.Select(b => b.ToString("F3")))}, HR@10 {originals.Outcome(kind).BestMetrics.Hr(10):F4} -> {outcome.FinalMetrics.Hr(10):F4}");
        Assert.True(reductionBefore > 0.1, $"the original's groups should differ: R - R^c {reductionBefore:G4}");
        Assert.True(reductionAfter < 0.2 * reductionBefore, $"R - R^c {reductionBefore:G4} -> {reductionAfter:G4}");
        Assert.InRange(rateAfter, 0.9 * rateBefore, 1.1 * rateBefore);
        Assert.InRange(outcome.FinalMetrics.Hr(10), originals.Outcome(kind).BestMetrics.Hr(10) - 0.06, 1);
    }

    /// <summary>Adv-InT (paper settings: 25 epochs, reversal 0.5, weight 1) leaves both attackers
    /// a lower AUC than the original of the same seed. With the reversal removed the adversary
    /// helps the encoder instead and the AUCs rise (MLP 0.99 here). On NCF the same settings raise
    /// the AUCs on this data (NCF peaks at epoch 3-4, before the game settles), as the paper's
    /// NMF / ML-100K row does; that case is in docs/benchmarks.md, not asserted.</summary>
    [Fact]
    public void AdvInTLowersTheAttackersAucAgainstTheOriginalOnLightGcn()
    {
        var data = originals.Data;
        IAttacker[] attackers = [new MlpAttacker(new MlpAttackerOptions()), new TreeAttacker(new TreeAttackerOptions())];
        List<double> Train(TrainingRegime regime)
        {
            using var model = TrainedOriginals.Create("lightgcn", data, 1);
            new PointwiseTrainer(data, new TrainingOptions(), regime).Train(model, 1, new Generator(1));
            return attackers.Select(a => Leakage.Auc(model, data, a)).ToList();
        }
        var original = Train(TrainingRegime.Original);
        var adversarial = Train(TrainingRegime.Adversarial);
        for (int a = 0; a < attackers.Length; a++)
            Assert.True(adversarial[a] < original[a] - 0.03, $"{attackers[a].Name}: original {original[a]:F3}, Adv-InT {adversarial[a]:F3}");
    }

    /// <summary>With a trade-off large enough that the MMD term dominates the objective, the steps
    /// whose objective jumps are exactly the steps the protocol names: 0, k, 2k, ...</summary>
    [Theory]
    [InlineData(50)]
    [InlineData(7)]
    public void RetrainAddsTheMmdTermOnExactlyEveryKthStep(int every)
    {
        var data = EngineTestData.Create();
        using var model = TrainedOriginals.Create("ncf", data, 3);
        var losses = new List<TrainingStep>();
        new PointwiseTrainer(data, new TrainingOptions { Epochs = 2, BatchSize = 64, RetrainEvery = every, RetrainTradeOff = 1000 }, TrainingRegime.Retrain)
            .Train(model, 3, new Generator(3), onStep: losses.Add);
        Assert.Equal(Enumerable.Range(0, losses.Count).Select(i => (long)i), losses.Select(s => s.Step));
        double median = losses.Select(s => s.Loss).Order().ElementAt(losses.Count / 2);
        var jumps = losses.Where(s => s.Loss > 10 * median).Select(s => s.Step).ToList();
        var expected = losses.Select(s => s.Step).Where(s => s % every == 0).ToList();
        Assert.True(expected.Count >= 3, $"only {losses.Count} steps");
        Assert.Equal(expected, jumps);
    }

    [Fact]
    public void TheBestEpochIsRestoredWhenItIsNotTheLast()
    {
        var outcome = originals.Outcome("ncf");
        var last = outcome.Epochs[^1].Metrics;
        // The premise: on this data NCF peaks before its last epoch.
        Assert.True(outcome.BestEpoch < outcome.Epochs.Count - 1, $"best epoch {outcome.BestEpoch} is the last");
        // ... and its last epoch ranks differently (HR@10 may tie: the first best epoch is kept).
        Assert.False(last.HitRate.SequenceEqual(outcome.BestMetrics.HitRate) && last.Ndcg.SequenceEqual(outcome.BestMetrics.Ndcg),
            "the last epoch's metrics equal the best epoch's, so restoring cannot be told apart");
        using var model = originals.Load("ncf");
        using var evaluator = new RecommendationEvaluator(originals.Data, CPU);
        var restored = evaluator.Evaluate(model);
        Assert.Equal(outcome.BestMetrics.HitRate, restored.HitRate);
        Assert.Equal(outcome.BestMetrics.Ndcg, restored.Ndcg);
        Assert.Equal(outcome.Epochs[outcome.BestEpoch].Metrics.HitRate, restored.HitRate);
    }
}
