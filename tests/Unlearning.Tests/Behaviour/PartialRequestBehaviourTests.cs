using Unlearning.Attack;
using Unlearning.Models;
using Unlearning.Training;
using static TorchSharp.torch;

namespace Unlearning.Tests.Behaviour;

/// <summary>
/// Partial requests (<c>unlearning.request_fraction</c> below 1) on synthetic-small: only the
/// requesters' rows of every moved table move, the distinguishability term is the requesters' own
/// (recomputed here), and the attacker that learned from the users who did not ask loses the requesters.
/// </summary>
[Trait("Category", "Behaviour")]
public sealed class PartialRequestBehaviourTests(TrainedOriginals originals) : IClassFixture<TrainedOriginals>
{
    private const double Fraction = 0.5;

    private bool[] Requesters(double fraction = Fraction) => UnlearningRequests.Draw(originals.Data.UserGroup, fraction, seed: 3);

    /// <summary>Every moved table's values, in the target's order.</summary>
    private static List<float[]> MovedTables(IRecommender model, string target)
    {
        using var items = zeros(model.NumUsers, 1, dtype: ScalarType.Int64);
        using var moved = UnlearningTarget.Of(target, model, items);
        return moved.Moved.Select(p => p.detach().cpu().contiguous().data<float>().ToArray()).ToList();
    }

    [Theory]
    [InlineData("ncf", UnlearningTarget.Attacked)]
    [InlineData("lightgcn", UnlearningTarget.Attacked)]
    [InlineData("ncf", UnlearningTarget.Full)]
    [InlineData("lightgcn", UnlearningTarget.Full)]
    public void OnlyTheRequestersRowsMove(string kind, string target)
    {
        var requested = Requesters(0.3);
        using var model = originals.Load(kind);
        var before = MovedTables(model, target);
        new PostTrainingUnlearner(originals.Data, new UnlearningOptions { Steps = 20, EvaluateEvery = 20, RequestFraction = 0.3, Target = target },
            UnlearningLoss.DistributionToDistribution, requested).Unlearn(model);
        var after = MovedTables(model, target);
        Assert.Equal(before.Count, after.Count);
        for (int t = 0; t < before.Count; t++)
        {
            int dim = before[t].Length / originals.Data.NumUsers, movedRequesters = 0;
            for (int u = 0; u < originals.Data.NumUsers; u++)
            {
                bool same = before[t].AsSpan(u * dim, dim).SequenceEqual(after[t].AsSpan(u * dim, dim));
                if (!requested[u]) Assert.True(same, $"table {t}: user {u} did not ask and moved");
                else if (!same) movedRequesters++;
            }
            Assert.Equal(requested.Count(r => r), movedRequesters);
        }
    }

    /// <summary>The term is the multi-kernel MMD of the requesters' two groups: its first value is the
    /// one recomputed here on their rows of the original (and not everyone's), and it falls.</summary>
    [Theory]
    [InlineData("ncf")]
    [InlineData("lightgcn")]
    public void TheTermIsTheRequestersMmdAndItFalls(string kind)
    {
        var requested = Requesters();
        using var model = originals.Load(kind);
        var e = Leakage.Embeddings(model);
        double requesters = Leakage.Mmd(e, model.AttackedDim, originals.Data, requested), everyone = Leakage.Mmd(e, model.AttackedDim, originals.Data);
        var outcome = new PostTrainingUnlearner(originals.Data, new UnlearningOptions { Steps = 100, EvaluateEvery = 1, RequestFraction = Fraction },
            UnlearningLoss.DistributionToDistribution, requested).Unlearn(model);
        Assert.Equal(requesters, outcome.Checkpoints[0].Distinguishability, 1e-4 * requesters);
        Assert.True(Math.Abs(everyone - requesters) > 0.01 * requesters, $"premise: the two terms should differ ({everyone:G4} and {requesters:G4})");
        double after = Leakage.Mmd(Leakage.Embeddings(model), model.AttackedDim, originals.Data, requested);
        Assert.True(after < 0.2 * requesters, $"requesters' MMD {requesters:G4} -> {after:G4}");
    }

    /// <summary>An attacker that learned the attribute from the users who did not ask (their rows never
    /// move) and predicts those who did: brought towards chance, at a small cost in HR@10.</summary>
    [Theory]
    [InlineData("ncf")]
    [InlineData("lightgcn")]
    public void TheDisclosedAttackerLosesTheRequesters(string kind)
    {
        var requested = Requesters();
        var disclosed = new AttackOptions { Threat = AttackThreat.Disclosed, Repeats = 2, Seed = 7 };
        IAttacker[] attackers = [new LogisticAttacker(), new MlpAttacker(new MlpAttackerOptions())];
        using var model = originals.Load(kind);
        double Auc(IAttacker attacker) =>
            AttackEvaluator.Evaluate(attacker, Leakage.Embeddings(model), model.AttackedDim, originals.Data.UserGroup, originals.Data.PositiveGroup, disclosed, requested: requested).Mean.Auc;
        var before = attackers.Select(Auc).ToList();
        var outcome = new PostTrainingUnlearner(originals.Data, new UnlearningOptions { Steps = 100, RequestFraction = Fraction },
            UnlearningLoss.DistributionToDistribution, requested).Unlearn(model);
        var after = attackers.Select(Auc).ToList();
        for (int a = 0; a < attackers.Length; a++)
        {
            Assert.True(before[a] > 0.65, $"{attackers[a].Name}: the original should leak, AUC {before[a]:F3}");
            Assert.True(Math.Abs(after[a] - 0.5) < 0.7 * Math.Abs(before[a] - 0.5), $"{attackers[a].Name}: AUC {before[a]:F3} -> {after[a]:F3}");
        }
        Assert.InRange(outcome.FinalMetrics.Hr(10), originals.Outcome(kind).BestMetrics.Hr(10) - 0.06, 1);
    }
}
