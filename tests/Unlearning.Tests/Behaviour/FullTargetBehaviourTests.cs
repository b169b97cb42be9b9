using Unlearning.Attack;
using Unlearning.Data;
using Unlearning.Losses;
using Unlearning.Models;
using Unlearning.Training;
using Unlearning.Util;
using static TorchSharp.torch;

namespace Unlearning.Tests.Behaviour;

/// <summary>
/// <c>unlearning.target=full</c> does what it is for, measured from outside on synthetic-small: the
/// distinguishability of the full user representation (recomputed pair by pair or kernel by kernel on
/// the model's own full view) and the attackers on that view fall well below what the paper's target
/// leaves there; the paper's target is still the paper's computation; only the documented tables
/// move; and the ranking regulariser holds each user's original top-K through every moved table.
/// </summary>
[Trait("Category", "Behaviour")]
public sealed class FullTargetBehaviourTests(TrainedOriginals originals, ITestOutputHelper output) : IClassFixture<TrainedOriginals>
{
    private static readonly UnlearningOptions Full = new() { Target = UnlearningTarget.Full };

    private double OnFullView(IRecommender model, UnlearningLoss loss)
    {
        var (values, dim) = Leakage.Full(model);
        return loss == UnlearningLoss.UserToUser ? Leakage.PairwiseU2U(values, dim, originals.Data) : Leakage.Mmd(values, dim, originals.Data);
    }

    /// <summary>The loss the cell minimises, recomputed on the full view: the full target takes it far
    /// below its value on the Original and well below what the attacked target leaves there.</summary>
    [Theory]
    [InlineData("ncf", UnlearningLoss.DistributionToDistribution, 0.3)]
    [InlineData("lightgcn", UnlearningLoss.DistributionToDistribution, 0.3)]
    [InlineData("ncf", UnlearningLoss.UserToUser, 0.5)]
    [InlineData("lightgcn", UnlearningLoss.UserToUser, 0.75)]
    public void TheFullTargetLowersTheDistinguishabilityOfTheFullView(string kind, UnlearningLoss loss, double belowAttacked)
    {
        double After(UnlearningOptions options)
        {
            using var model = originals.Load(kind);
            new PostTrainingUnlearner(originals.Data, options, loss).Unlearn(model);
            return OnFullView(model, loss);
        }
        double before;
        using (var original = originals.Load(kind)) before = OnFullView(original, loss);
        double attacked = After(new UnlearningOptions()), full = After(Full);
        output.WriteLine($"{kind} {loss}: before {before:G4}, attacked target {attacked:G4}, full target {full:G4}");
        Assert.True(full < 0.2 * before, $"full target: {before:G4} -> {full:G4}");
        Assert.True(full < belowAttacked * attacked, $"full target {full:G4} against the attacked target's {attacked:G4} on the full view");
    }

    /// <summary>Both attackers on the full view along D2D-R's path (every 50 of 300 steps, the same
    /// learning rate for both targets): the full target reaches a point where both leak well below
    /// (the larger of the two |AUC − 0.5|, at most 0.6 times) the best the attacked target reaches on
    /// its path. Measured here: NCF 0.050 against 0.156 (learning rate 2.5e-4: at 1e-3 the full
    /// target passes its best within 50 steps), LightGCN 0.065 against 0.127. Compared at each
    /// target's best point because on 300 users either target, run long enough, overshoots into
    /// AUCs far below 0.5 (the cross-validation reads the matched groups' fold-to-fold
    /// anti-correlation; see MethodBehaviourTests).</summary>
    [Theory]
    [InlineData("ncf", 2.5e-4)]
    [InlineData("lightgcn", 1e-3)]
    public void TheFullTargetTakesTheFullViewAttackersTowardsHalf(string kind, double learningRate)
    {
        IAttacker[] attackers = [new MlpAttacker(new MlpAttackerOptions()), new TreeAttacker(new TreeAttackerOptions())];
        (int Step, double Leakage) Best(string target)
        {
            using var model = originals.Load(kind);
            var path = new List<(int Step, double Leakage)>();
            new PostTrainingUnlearner(originals.Data, new UnlearningOptions { Steps = 300, EvaluateEvery = 50, LearningRate = learningRate, Target = target }, UnlearningLoss.DistributionToDistribution)
                .Unlearn(model, p =>
                {
                    var (values, dim) = Leakage.Full(model);
                    path.Add((p.Position, attackers.Max(a => Math.Abs(Leakage.Auc(values, dim, originals.Data, a) - 0.5))));
                });
            output.WriteLine($"{kind} {target}: {string.Join(", ", path.Select(p => $"{p.Step}: {p.Leakage:F3}"))}");
            return path.MinBy(p => p.Leakage);
        }
        var attacked = Best(UnlearningTarget.Attacked);
        var full = Best(UnlearningTarget.Full);
        Assert.True(attacked.Leakage > 0.1, $"premise: the attacked target leaves the full view leaking all along (at best {attacked.Leakage:F3}, step {attacked.Step})");
        Assert.True(full.Leakage < 0.6 * attacked.Leakage, $"full-view leakage at best {full.Leakage:F3} (full target, step {full.Step}) against {attacked.Leakage:F3} (attacked target, step {attacked.Step})");
    }

    /// <summary>Which tables move, seen from the model's named parameters: the attacked target moves the
    /// attacked table alone; the full target NCF's GMF and MLP user tables, LightGCN's ego user table;
    /// item tables, MLP layers, the prediction layer and the graph stay bit for bit.</summary>
    [Theory]
    [InlineData("ncf", UnlearningTarget.Attacked, "gmf_user")]
    [InlineData("ncf", UnlearningTarget.Full, "gmf_user,mlp_user")]
    [InlineData("lightgcn", UnlearningTarget.Attacked, "user_embedding")]
    [InlineData("lightgcn", UnlearningTarget.Full, "user_embedding")]
    public void OnlyTheTargetsTablesMove(string kind, string target, string expected)
    {
        using var model = originals.Load(kind);
        var before = ((nn.Module)model).named_parameters().Select(p => (p.name, Values: TensorValues.Read(p.parameter))).ToList();
        new PostTrainingUnlearner(originals.Data, new UnlearningOptions { Steps = 20, Target = target }, UnlearningLoss.DistributionToDistribution).Unlearn(model);
        var after = ((nn.Module)model).named_parameters().ToDictionary(p => p.name, p => TensorValues.Read(p.parameter));
        var moved = before.Where(p => !p.Values.SequenceEqual(after[p.name])).Select(p => p.name);
        Assert.Equal(expected, string.Join(",", moved));
    }

    /// <summary>The paper's target is the paper's computation: Adam on the attacked table alone over
    /// the loss switch's term on it plus λ times the ranking margin of the model's frozen-pair scorer,
    /// written out here step by step, gives the unlearner's table bit for bit.</summary>
    [Theory]
    [InlineData("ncf", UnlearningLoss.DistributionToDistribution)]
    [InlineData("lightgcn", UnlearningLoss.UserToUser)]
    public void TheAttackedTargetIsThePapersComputation(string kind, UnlearningLoss loss)
    {
        var options = new UnlearningOptions { Steps = 30, TradeOff = 1e-3 };
        using var unlearned = originals.Load(kind);
        new PostTrainingUnlearner(originals.Data, options, loss).Unlearn(unlearned);

        using var model = originals.Load(kind);
        var data = originals.Data;
        using var groups = new GroupIndex(data, CPU);
        using var top = model.TopItems(new InteractionMask(data, CPU).Rows, options.TopK);
        using var scorer = model.FixedPairScorer(top);
        var embedding = model.AttackedUserEmbedding;
        using var adam = AdamOptimizer.Create([embedding], options.LearningRate);
        for (int step = 0; step < options.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var term = loss == UnlearningLoss.UserToUser ? U2ULoss.AcrossGroups(embedding, groups.Rows) : MultiKernelMmd.AcrossGroups(embedding, groups.Rows);
            var total = term.add(RankingMarginLoss.Compute(scorer.Score(embedding), options.Margin).mul(Scalars.Of(options.TradeOff)), Scalars.One);
            adam.ZeroGrad();
            total.backward();
            adam.Step();
        }
        Assert.Equal(TensorValues.Read(embedding), TensorValues.Read(unlearned.AttackedUserEmbedding));
        using var original = originals.Load(kind);
        Assert.False(TensorValues.Read(embedding).SequenceEqual(Leakage.Embeddings(original)), "the table did not move");
    }

    /// <summary>With the full target the regulariser scores the original top-K through every moved
    /// table: with a trade-off that matters, the ranking margin of those lists under the final model
    /// (recomputed here from the model's own scores) ends below where it started, where λ = 0 leaves
    /// it well above (NCF 78 -> 8 with λ = 0.01, 917 without; LightGCN 213 -> 182, 319). With NCF's
    /// MLP half of the scores frozen it ends at 130: the GMF half alone does not hold the lists.</summary>
    [Theory]
    [InlineData("ncf")]
    [InlineData("lightgcn")]
    public void TheFullTargetsRegulariserHoldsTheOriginalTopKThroughTheMovedTables(string kind)
    {
        var data = originals.Data;
        Tensor top;
        double before;
        using (var original = originals.Load(kind))
        {
            top = original.TopItems(new InteractionMask(data, CPU).Rows, 20);
            before = Margin(original, top);
        }
        double After(double tradeOff)
        {
            using var model = originals.Load(kind);
            new PostTrainingUnlearner(data, Full with { Steps = 200, TradeOff = tradeOff }, UnlearningLoss.DistributionToDistribution).Unlearn(model);
            return Margin(model, top);
        }
        double free = After(0), held = After(0.01);
        output.WriteLine($"{kind}: ranking margin before {before:G4}, after λ = 0 {free:G4}, after λ = 0.01 {held:G4}");
        Assert.True(free > 1.2 * before, $"premise: unlearning without the regulariser disturbs the lists ({before:G4} -> {free:G4})");
        Assert.True(held < before, $"with the regulariser the margin goes {before:G4} -> {held:G4} (without it {free:G4})");
        top.Dispose();
    }

    /// <summary>Σ_u Σ_n max(0, s_{n+1} − s_n + 0.05) of the given lists under the model's own scores, in double.</summary>
    private static double Margin(IRecommender model, Tensor top)
    {
        using var scores = model.ScoreAllUsers(top);
        var s = TensorValues.Read(scores);
        int k = (int)top.shape[1];
        double sum = 0;
        for (int u = 0; u < s.Length / k; u++)
            for (int n = 0; n + 1 < k; n++)
                sum += Math.Max(0, (double)s[u * k + n + 1] - s[u * k + n] + 0.05);
        return sum;
    }
}
