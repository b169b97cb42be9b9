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

    /// <summary>CR-R's term over the requesters: at the first step their rate is the kept one (no drift),
    /// so the term is −R^c of the requesters' rows alone, not of everyone's.</summary>
    [Fact]
    public void TheCodingRateTermIsTheRequestersOwn()
    {
        var requested = Requesters();
        using var model = originals.Load("ncf");
        var options = new UnlearningOptions { Steps = 1, EvaluateEvery = 1, RequestFraction = Fraction };
        var ids = Enumerable.Range(0, originals.Data.NumUsers).Where(u => requested[u]).ToArray();
        double expected, everyone;
        using (var _ = no_grad())
        using (var e = model.AttackedUserEmbedding.detach().clone())
        using (var members = tensor(ids.Select(u => (long)u).ToArray()))
        using (var rows = e.index_select(0, members))
        {
            var local = Enumerable.Range(0, originals.Data.NumGroups)
                .Select(g => tensor(Enumerable.Range(0, ids.Length).Where(i => originals.Data.UserGroup[ids[i]] == g).Select(i => (long)i).ToArray())).ToList();
            var all = Enumerable.Range(0, originals.Data.NumGroups)
                .Select(g => tensor(Enumerable.Range(0, originals.Data.NumUsers).Where(u => originals.Data.UserGroup[u] == g).Select(u => (long)u).ToArray())).ToList();
            using (var rate = Unlearning.Losses.CodingRate.GroupRate(rows, local, options.CodingRateEpsilon)) expected = -rate.item<double>();
            using (var rate = Unlearning.Losses.CodingRate.GroupRate(e, all, options.CodingRateEpsilon)) everyone = -rate.item<double>();
            foreach (var t in local.Concat(all)) t.Dispose();
        }
        var outcome = new PostTrainingUnlearner(originals.Data, options, UnlearningLoss.CodingRate, requested).Unlearn(model);
        Assert.Equal(expected, outcome.Checkpoints[0].Distinguishability, 1e-4 * Math.Abs(expected));
        Assert.True(Math.Abs(everyone - expected) > 0.01 * Math.Abs(expected), $"premise: the two terms should differ ({everyone:G4} and {expected:G4})");
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
