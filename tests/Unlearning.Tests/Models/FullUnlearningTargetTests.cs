using Unlearning.Models;
using Unlearning.Training;
using static TorchSharp.torch;

namespace Unlearning.Tests.Models;

/// <summary>
/// <c>unlearning.target=full</c> on each model: the representation it makes indistinguishable is the
/// one <c>attack --view full</c> attacks, and the scores its regulariser keeps in order are the
/// model's own forward, both as functions of the parameters that move, with the same gradient and
/// no gradient anywhere else.
/// </summary>
public sealed class FullUnlearningTargetTests
{
    public static TheoryData<string, bool> Models => new() { { "ncf", false }, { "lightgcn", true }, { "lightgcn", false } };

    /// <summary>A model on small data, six fixed items per user and its full target for them.</summary>
    private sealed record Made(IRecommender Model, Tensor Items, IUnlearningTarget Target) : IDisposable
    {
        public static Made Of(string kind, bool dense)
        {
            var data = EngineTestData.Create();
            var (users, items) = data.TrainPairs();
            IRecommender model = kind == "ncf"
                ? new NeuMF(data.NumUsers, data.NumItems, new NeuMFOptions(), CPU, new Generator(5))
                : new LightGcn(data.NumUsers, data.NumItems, users, items, new LightGcnOptions(), CPU, new Generator(5), dense);
            var fixedItems = randint(0, model.NumItems, [model.NumUsers, 6], generator: new Generator(4));
            return new Made(model, fixedItems, model.FullUnlearningTarget(fixedItems));
        }

        public void Dispose()
        {
            Target.Dispose();
            Items.Dispose();
            Model.Dispose();
        }
    }

    /// <summary>What moves: NCF's GMF and MLP user tables, LightGCN's ego user table; nothing else.</summary>
    [Theory]
    [MemberData(nameof(Models))]
    public void TheFullTargetMovesTheUserTablesAndNothingElse(string kind, bool dense)
    {
        using var made = Made.Of(kind, dense);
        var (model, items, target) = (made.Model, made.Items, made.Target);
        var names = ((nn.Module)model).named_parameters().ToDictionary(p => p.parameter.Handle, p => p.name);
        Assert.Equal(kind == "ncf" ? ["gmf_user", "mlp_user"] : ["user_embedding"], target.Moved.Select(p => names[p.Handle]));
        using var attacked = UnlearningTarget.Of(UnlearningTarget.Attacked, model, items);
        Assert.Equal([names[model.AttackedUserEmbedding.Handle]], attacked.Moved.Select(p => names[p.Handle]));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void TheRepresentationIsTheFullViewAndItsGradientReachesOnlyTheMovedTables(string kind, bool dense)
    {
        using var made = Made.Of(kind, dense);
        var (model, items, target) = (made.Model, made.Items, made.Target);
        var representation = target.Representation();
        using var full = model.FullUserRepresentation();
        ModelTests.AssertClose(representation, full, 1e-5);

        using var weights = randn(full.shape, generator: new Generator(6));
        representation.mul(weights).sum().backward();
        AssertNoGradientOutside(model, target.Moved);
        // The reference gradient: NCF's representation is [p ; p'], so each table's gradient is its
        // columns of the weights; LightGCN's is P_uu U + P_ui I with P symmetric, so U's gradient is
        // P_uu W, the model's own (no-gradient) full view at U = W minus its view at U = 0.
        Tensor[] expected;
        if (kind == "ncf")
        {
            long gmf = target.Moved[0].shape[1];
            expected = [weights.narrow(1, 0, gmf), weights.narrow(1, gmf, weights.shape[1] - gmf)];
        }
        else
        {
            var users = target.Moved[0];
            using var kept = users.detach().clone();
            using var _ = no_grad();
            users.zero_();
            using var atZero = model.FullUserRepresentation();
            users.copy_(weights);
            using var atWeights = model.FullUserRepresentation();
            users.copy_(kept);
            expected = [atWeights.sub(atZero)];
        }
        Assert.Equal(expected.Length, target.Moved.Count);
        for (int i = 0; i < expected.Length; i++) ModelTests.AssertClose(target.Moved[i].grad!, expected[i], 1e-5);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void TheScoresAreTheModelsOwnForwardWithItsGradient(string kind, bool dense)
    {
        using var made = Made.Of(kind, dense);
        var (model, items, target) = (made.Model, made.Items, made.Target);
        var scores = target.Scores();
        ModelTests.AssertClose(scores, model.ScoreAllUsers(items), 1e-5);

        using var weights = randn(scores.shape, generator: new Generator(7));
        scores.mul(weights).sum().backward();
        AssertNoGradientOutside(model, target.Moved);
        var gradients = target.Moved.Select(p => p.grad?.clone()).ToArray();
        // The reference: the model's training forward on the same pairs, under autograd.
        foreach (var p in target.Moved) p.grad = null;
        var users = arange(model.NumUsers).unsqueeze(1).expand(items.shape).reshape(-1);
        model.Logits(users, items.reshape(-1)).view(items.shape).mul(weights).sum().backward();
        for (int i = 0; i < gradients.Length; i++)
        {
            Assert.True(gradients[i] is not null, $"moved parameter {i} gets no gradient from the scores");
            ModelTests.AssertClose(gradients[i]!, target.Moved[i].grad!, 1e-5);
            Assert.True(gradients[i]!.abs().max().item<float>() > 1e-4, $"moved parameter {i} gets a zero gradient from the scores");
        }
    }

    private static void AssertNoGradientOutside(IRecommender model, IReadOnlyList<TorchSharp.Modules.Parameter> moved)
    {
        var movedHandles = moved.Select(p => p.Handle).ToHashSet();
        foreach (var (name, p) in ((nn.Module)model).named_parameters())
            if (!movedHandles.Contains(p.Handle))
                Assert.True(p.grad is null, $"{name} is frozen but got a gradient");
    }
}
