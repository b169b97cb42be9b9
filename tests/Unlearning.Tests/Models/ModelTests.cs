using Unlearning.Models;
using static TorchSharp.torch;

namespace Unlearning.Tests.Models;

public class ModelTests
{
    [Fact]
    public void LightGcnDenseAndSparsePropagationGiveTheSameScores()
    {
        var data = EngineTestData.Create();
        var (users, _) = data.TrainPairs();
        using var dense = new LightGcn(data.NumUsers, data.NumItems, users, data.TrainItems, new LightGcnOptions(), CPU, new Generator(7), dense: true);
        using var sparse = new LightGcn(data.NumUsers, data.NumItems, users, data.TrainItems, new LightGcnOptions(), CPU, new Generator(7), dense: false);
        Assert.True(dense.IsDense);
        Assert.False(sparse.IsDense);
        using var u = tensor(new long[] { 0, 5, 9, 59 });
        using var i = tensor(new long[] { 3, 79, 0, 40 });
        AssertClose(dense.Logits(u, i), sparse.Logits(u, i));
        using var candidates = randint(0, data.NumItems, [data.NumUsers, 7]);
        AssertClose(dense.ScoreAllUsers(candidates), sparse.ScoreAllUsers(candidates));
        using var dScorer = dense.FixedPairScorer(candidates);
        using var sScorer = sparse.FixedPairScorer(candidates);
        AssertClose(dScorer.Score(dense.AttackedUserEmbedding), sScorer.Score(sparse.AttackedUserEmbedding));
        AssertClose(dScorer.Score(dense.AttackedUserEmbedding), dense.ScoreAllUsers(candidates));
    }

    [Theory]
    [InlineData(true, 3)]
    [InlineData(false, 3)]
    [InlineData(true, 2)]
    [InlineData(true, 1)]
    public void LightGcnCpuPairScorerEqualsAutogradScorerAndItsGradient(bool dense, int layers)
    {
        var data = EngineTestData.Create();
        var (users, _) = data.TrainPairs();
        using var model = new LightGcn(data.NumUsers, data.NumItems, users, data.TrainItems, new LightGcnOptions { Layers = layers },
            CPU, new Generator(13), dense);
        using var candidates = randint(0, data.NumItems, [data.NumUsers, 6], generator: new Generator(4));
        using var weights = randn([data.NumUsers, 6], generator: new Generator(5));
        using var cpu = model.CpuFixedPairScorer(candidates);
        using var reference = model.TorchFixedPairScorer(candidates);
        var embedding = model.AttackedUserEmbedding;
        var cpuScores = cpu.Score(embedding);
        var referenceScores = reference.Score(embedding);
        AssertClose(cpuScores, referenceScores, 1e-5);
        AssertClose(cpuScores, model.ScoreAllUsers(candidates), 1e-5);
        var cpuGradient = autograd.grad([cpuScores.mul(weights).sum()], [embedding])[0];
        var referenceGradient = autograd.grad([referenceScores.mul(weights).sum()], [embedding])[0];
        AssertClose(cpuGradient, referenceGradient, 1e-5);
        Assert.True(cpuGradient.abs().max().item<float>() > 1e-3);
    }

    /// <summary>Large graphs on the CPU propagate with hand-written CSR products in both directions;
    /// on a GPU with torch's sparse matmul under autograd. Same values, same gradient.</summary>
    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    [InlineData(1)]
    public void CpuSparsePropagationEqualsTorchSparsePropagationAndItsGradient(int layers)
    {
        var data = EngineTestData.Create();
        var (users, items) = data.TrainPairs();
        int nodes = data.NumUsers + data.NumItems;
        using var cpu = new CpuSparseLightGcnPropagation(data.NumUsers, data.NumItems, users, items, layers);
        using var reference = new SparseLightGcnPropagation(LightGcnPropagation.NormalisedAdjacency(data.NumUsers, data.NumItems, users, items), layers);
        using var embeddings = randn([nodes, 16], generator: new Generator(21)).requires_grad_();
        using var weights = randn([nodes, 16], generator: new Generator(22));
        var cpuAll = cpu.All(embeddings);
        var referenceAll = reference.All(embeddings);
        AssertClose(cpuAll, referenceAll, 1e-5);
        var cpuGradient = autograd.grad([cpuAll.mul(weights).sum()], [embeddings])[0];
        var referenceGradient = autograd.grad([referenceAll.mul(weights).sum()], [embeddings])[0];
        AssertClose(cpuGradient, referenceGradient, 1e-5);
        Assert.True(cpuGradient.sub(weights).abs().max().item<float>() > 1e-2, "the gradient is the propagated weights, not the weights");
        using var rows = tensor(new long[] { 0, 7, data.NumUsers, nodes - 1 });
        AssertClose(cpu.Rows(embeddings, rows), reference.Rows(embeddings, rows), 1e-5);
    }

    [Fact]
    public void LightGcnMatchesLayerByLayerDefinition()
    {
        var data = EngineTestData.Create(users: 10, items: 30, perUser: 6);
        var (users, items) = data.TrainPairs();
        using var model = new LightGcn(data.NumUsers, data.NumItems, users, items, new LightGcnOptions(), CPU, new Generator(3), dense: true);
        // Build A explicitly and propagate E_{k+1} = Â E_k with dense matrices.
        int n = data.NumUsers + data.NumItems;
        var a = new float[n, n];
        var degree = new double[n];
        for (int e = 0; e < users.Length; e++) { degree[users[e]]++; degree[data.NumUsers + items[e]]++; }
        for (int e = 0; e < users.Length; e++)
        {
            int u = users[e], i = data.NumUsers + items[e];
            a[u, i] = a[i, u] = (float)(1 / Math.Sqrt(degree[u] * degree[i]));
        }
        using var adj = tensor(a);
        var e0 = cat([model.AttackedUserEmbedding.detach(), model.TrainableParameters[1].detach()], 0);
        var layer = e0; var sum = e0;
        for (int l = 0; l < 3; l++) { layer = adj.matmul(layer); sum = sum.add(layer); }
        var f = sum.div(4);
        using var uu = tensor(new long[] { 1, 2 });
        using var ii = tensor(new long[] { 4, 29 });
        var expected = f.index_select(0, uu).mul(f.index_select(0, ii.add(data.NumUsers))).sum(1);
        AssertClose(model.Logits(uu, ii), expected);
    }

    [Fact]
    public void NeuMFFixedPairScorerEqualsFullForward()
    {
        var data = EngineTestData.Create();
        using var model = new NeuMF(data.NumUsers, data.NumItems, new NeuMFOptions(), CPU, new Generator(5));
        using var candidates = randint(0, data.NumItems, [data.NumUsers, 9]);
        using var scorer = model.FixedPairScorer(candidates);
        AssertClose(scorer.Score(model.AttackedUserEmbedding), model.ScoreAllUsers(candidates));
        Assert.Equal(32, model.AttackedDim);
        Assert.Equal([data.NumUsers, 32], model.AttackedUserEmbedding.shape);
    }

    [Fact]
    public void NeuMFInitialisationFollowsProtocol()
    {
        using var model = new NeuMF(500, 800, new NeuMFOptions(), CPU, new Generator(1));
        var p = model.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        Assert.InRange(p["gmf_user"].std().item<float>(), 0.009, 0.011);
        Assert.InRange(p["mlp_item"].std().item<float>(), 0.009, 0.011);
        // Xavier-uniform bound for 256 -> 128 is sqrt(6 / 384) = 0.125.
        Assert.InRange(p["mlp.0.weight"].abs().max().item<float>(), 0.12, 0.125);
        // Kaiming-uniform (a = 1, sigmoid gain) for fan_in 64: bound sqrt(3 / 64) = 0.2165.
        Assert.InRange(p["predict.weight"].abs().max().item<float>(), 0.15, 0.2166);
        Assert.Equal(0, p["predict.bias"].abs().sum().item<float>());
    }

    [Fact]
    public void SameSeedGivesSameInitialisation()
    {
        using var a = new NeuMF(20, 30, new NeuMFOptions(), CPU, new Generator(11));
        using var b = new NeuMF(20, 30, new NeuMFOptions(), CPU, new Generator(11));
        using var c = new NeuMF(20, 30, new NeuMFOptions(), CPU, new Generator(12));
        Assert.True(Same(a.AttackedUserEmbedding, b.AttackedUserEmbedding));
        Assert.False(Same(a.AttackedUserEmbedding, c.AttackedUserEmbedding));
    }

    [Theory]
    [InlineData("ncf")]
    [InlineData("lightgcn")]
    public void SaveAndLoadRestoreEveryParameter(string kind)
    {
        var data = EngineTestData.Create();
        var path = Path.Combine(Path.GetTempPath(), $"{kind}-{Guid.NewGuid():N}.bin");
        using var a = Unlearning.Tests.Engine.TrainingTests.Create(kind, data, 1);
        using var b = Unlearning.Tests.Engine.TrainingTests.Create(kind, data, 2);
        var saved = ((nn.Module)a).named_parameters().ToList();
        var loaded = ((nn.Module)b).named_parameters().ToList();
        Assert.Equal(saved.Select(p => p.name), loaded.Select(p => p.name));
        // Biases start at zero in both, so not every parameter differs before the load.
        Assert.Contains(saved.Zip(loaded), p => !Same(p.First.parameter, p.Second.parameter));
        a.Save(path);
        b.Load(path);
        File.Delete(path);
        Assert.All(saved.Zip(loaded), p => Assert.True(Same(p.First.parameter, p.Second.parameter), $"{p.First.name} differs after the load"));
        using var candidates = randint(0, data.NumItems, [data.NumUsers, 5], generator: new Generator(3));
        Assert.True(Same(a.ScoreAllUsers(candidates), b.ScoreAllUsers(candidates)));
    }

    internal static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.detach().eq(b.detach()).all().item<bool>();

    internal static void AssertClose(Tensor actual, Tensor expected, double tolerance = 1e-4)
    {
        Assert.Equal(expected.shape, actual.shape);
        var diff = actual.detach().sub(expected.detach()).abs().max().to(float64).item<double>();
        Assert.True(diff < tolerance, $"max abs difference {diff} exceeds {tolerance}");
    }
}

public class TopItemsTests
{
    [Theory]
    [InlineData("ncf")]
    [InlineData("lightgcn")]
    public void TopItemsAreTheHighestScoringItemsNeverInteractedWith(string kind)
    {
        var data = EngineTestData.Create();
        var (users, items) = data.TrainPairs();
        using IRecommender model = kind == "ncf"
            ? new NeuMF(data.NumUsers, data.NumItems, new NeuMFOptions(), CPU, new Generator(2))
            : new LightGcn(data.NumUsers, data.NumItems, users, items, new LightGcnOptions(), CPU, new Generator(2));
        var mask = new Unlearning.Training.InteractionMask(data, CPU);
        using var top = model.TopItems(mask.Rows, 5);
        using var everything = arange(data.NumItems).unsqueeze(0).expand(data.NumUsers, data.NumItems).contiguous();
        using var all = model.ScoreAllUsers(everything);
        using var masked = all.masked_fill(mask.Rows(0, data.NumUsers), float.NegativeInfinity);
        var expected = masked.topk(5, dim: 1).indexes;
        Assert.True(ModelTests.Same(top, expected));
        for (int u = 0; u < data.NumUsers; u++)
            for (int k = 0; k < 5; k++)
                Assert.False(data.HasInteracted(u, (int)top[u, k].item<long>()));
    }
}
