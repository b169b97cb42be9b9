using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Unlearning.Util;

namespace Unlearning.Models;

/// <summary>
/// NCF / NeuMF (He et al. 2017): logit(u, i) = h · [p_u ⊙ q_i ; MLP([p'_u ; q'_i])] + b, where
/// MLP = Linear 256→128, ReLU, Linear 128→64, ReLU, Linear 64→32, ReLU. The attacked user
/// representation is the GMF user embedding p_u.
/// </summary>
public sealed partial class NeuMF : Module<Tensor, Tensor, Tensor>, IRecommender
{
    private readonly Parameter gmf_user, gmf_item, mlp_user, mlp_item;
    private readonly ModuleList<Linear> mlp;
    private readonly Linear predict;
    private readonly List<Parameter> _trainable;

    public NeuMF(int numUsers, int numItems, NeuMFOptions options, Device device, Generator generator) : base("NeuMF")
    {
        NumUsers = numUsers; NumItems = numItems; Device = device;
        Options = options;
        int dg = options.GmfDim, dm = options.MlpEmbeddingDim;
        using (no_grad())
        {
            gmf_user = new Parameter(SeededInit.Normal([numUsers, dg], options.EmbeddingStd, generator));
            gmf_item = new Parameter(SeededInit.Normal([numItems, dg], options.EmbeddingStd, generator));
            mlp_user = new Parameter(SeededInit.Normal([numUsers, dm], options.EmbeddingStd, generator));
            mlp_item = new Parameter(SeededInit.Normal([numItems, dm], options.EmbeddingStd, generator));
            mlp = new ModuleList<Linear>();
            int input = 2 * dm;
            foreach (var width in options.MlpLayers)
            {
                var layer = Linear(input, width);
                layer.weight!.copy_(SeededInit.XavierUniform(width, input, generator));
                layer.bias!.zero_();
                mlp.Add(layer);
                input = width;
            }
            predict = Linear(dg + input, 1);
            predict.weight!.copy_(SeededInit.KaimingUniformSigmoid(1, dg + input, generator));
            predict.bias!.zero_();
        }
        RegisterComponents();
        this.to(device);
        _trainable = parameters().ToList();
    }

    public NeuMFOptions Options { get; }
    public int NumUsers { get; }
    public int NumItems { get; }
    public Device Device { get; }
    public IReadOnlyList<Parameter> TrainableParameters => _trainable;
    public Parameter AttackedUserEmbedding => gmf_user;
    public int AttackedDim => Options.GmfDim;

    public Tensor FullUserRepresentation()
    {
        using var _ = no_grad();
        return cat([gmf_user, mlp_user], 1);
    }

    public override Tensor forward(Tensor users, Tensor items) => Logits(users, items);

    public Tensor Logits(Tensor users, Tensor items)
    {
        using var scope = NewDisposeScope();
        var gmf = gmf_user.index_select(0, users).mul_(gmf_item.index_select(0, items));
        var h = MlpBranch(mlp_user.index_select(0, users), mlp_item.index_select(0, items));
        return predict.forward(cat([gmf, h], 1)).squeeze(1).MoveToOuterDisposeScope();
    }

    public Tensor EgoSquaredNorm(Tensor users, Tensor items)
    {
        using var scope = NewDisposeScope();
        var users2 = gmf_user.index_select(0, users).square().sum().add(mlp_user.index_select(0, users).square().sum(), Scalars.One);
        var items2 = gmf_item.index_select(0, items).square().sum().add(mlp_item.index_select(0, items).square().sum(), Scalars.One);
        return users2.add(items2, Scalars.One).MoveToOuterDisposeScope();
    }

    private Tensor MlpBranch(Tensor userRows, Tensor itemRows)
    {
        var h = cat([userRows, itemRows], 1);
        foreach (var layer in mlp) h = functional.relu(layer.forward(h));
        return h;
    }

    public Tensor ScoreAllUsers(Tensor items)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long n = items.shape[0], k = items.shape[1];
        var users = arange(Scalars.Of(0L), Scalars.Of(n), Scalars.One, device: Device).unsqueeze(1).expand(n, k).reshape(-1);
        var flat = items.reshape(-1);
        var scores = ChunkedLogits(users, flat);
        return scores.view(n, k).MoveToOuterDisposeScope();
    }

    private Tensor ChunkedLogits(Tensor users, Tensor items, long chunk = 1 << 16)
    {
        long total = users.shape[0];
        if (total <= chunk) return Logits(users, items);
        var parts = new List<Tensor>();
        for (long s = 0; s < total; s += chunk)
        {
            long len = Math.Min(chunk, total - s);
            parts.Add(Logits(users.narrow(0, s, len), items.narrow(0, s, len)));
        }
        return cat(parts, 0);
    }

    public Tensor TopItems(Func<long, long, Tensor> interactedMask, int k, long firstUser = 0, long? users = null)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long usersPerChunk = Math.Max(1, (1 << 16) / NumItems);
        var itemPart = ItemPartOfFirstLayer();
        var tops = new List<Tensor>();
        long end = UserRange.End(firstUser, users, NumUsers);
        for (long s = firstUser; s < end; s += usersPerChunk)
        {
            // Each chunk's temporaries (hundreds of MB for large catalogues) go before the next chunk.
            using var chunk = NewDisposeScope();
            long len = Math.Min(usersPerChunk, end - s);
            var scores = ScoreGrid(s, len, itemPart);
            scores.masked_fill_(interactedMask(s, len), Scalars.Of(double.NegativeInfinity));
            tops.Add(scores.topk(k, dim: 1, largest: true, sorted: true).indexes.MoveToOuterDisposeScope());
        }
        return cat(tops, 0).MoveToOuterDisposeScope();
    }

    /// <summary>W₁ᵢ q'_i for every item: the item half of the first MLP layer, once per set of lists.</summary>
    private Tensor ItemPartOfFirstLayer() => mlp_item.matmul(mlp[0].weight!.narrow(1, Options.MlpEmbeddingDim, Options.MlpEmbeddingDim).t());

    /// <summary>W₁ᵤ, the user half of the first MLP layer's weight (its input is [p'_u; q'_i]).</summary>
    private Tensor UserHalfOfFirstLayer() => mlp[0].weight!.narrow(1, 0, Options.MlpEmbeddingDim);

    /// <summary>h_gmf and h_mlp: the prediction layer's weights of the GMF and MLP halves of its input [gmf; h].</summary>
    private (Tensor Gmf, Tensor Mlp) PredictionHalves()
    {
        var w = predict.weight!.squeeze(0);
        int dg = Options.GmfDim;
        return (w.narrow(0, 0, dg), w.narrow(0, dg, w.shape[0] - dg));
    }

    /// <summary>Logits of users [first, first + count) against every item. The first MLP layer is
    /// split as W₁[p'_u; q'_i] = W₁ᵤ p'_u + W₁ᵢ q'_i so each half is computed once per user / item.</summary>
    private Tensor ScoreGrid(long first, long count, Tensor itemPart)
    {
        var userPart = mlp_user.narrow(0, first, count).matmul(UserHalfOfFirstLayer().t()).add(mlp[0].bias!, Scalars.One);
        var h = functional.relu(userPart.unsqueeze(1).add(itemPart.unsqueeze(0), Scalars.One)).view(count * NumItems, -1);
        for (int l = 1; l < mlp.Count; l++) h = functional.relu(mlp[l].forward(h));
        var (gmfWeight, mlpWeight) = PredictionHalves();
        var mlpScore = h.matmul(mlpWeight).view(count, NumItems);
        var gmfScore = gmf_user.narrow(0, first, count).mul(gmfWeight).matmul(gmf_item.t());
        return mlpScore.add_(gmfScore, Scalars.One).add_(predict.bias!, Scalars.One);
    }

    /// <summary>logit = p_u · (h_gmf ⊙ q_i) + c(u, i), with c = h_mlp · MLP(...) + b frozen.</summary>
    public IFixedPairScorer FixedPairScorer(Tensor items)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long n = items.shape[0], k = items.shape[1];
        var flat = items.reshape(-1);
        var users = arange(Scalars.Of(0L), Scalars.Of(n), Scalars.One, device: Device).unsqueeze(1).expand(n, k).reshape(-1);
        var weightedItems = WeightedGmfItems(flat, n, k);
        var constant = MlpBranch(mlp_user.index_select(0, users), mlp_item.index_select(0, flat))
            .matmul(PredictionHalves().Mlp).add(predict.bias!, Scalars.One).view(n, k);
        return new NeuMFFixedPairScorer(weightedItems.MoveToOuterDisposeScope(), constant.MoveToOuterDisposeScope());
    }

    /// <summary>h_gmf ⊙ q_i of each user's fixed items ([n, k, d_gmf]), so that the GMF half of a
    /// logit is one batched product with p_u.</summary>
    private Tensor WeightedGmfItems(Tensor flatItems, long n, long k) =>
        gmf_item.index_select(0, flatItems).mul(PredictionHalves().Gmf).view(n, k, Options.GmfDim);

    public void Save(string path) => this.save(path);
    public void Load(string path) => this.load(path);

    private sealed class NeuMFFixedPairScorer(Tensor weightedItems, Tensor constant) : IFixedPairScorer
    {
        public Tensor Score(Tensor attackedUserEmbedding) =>
            weightedItems.bmm(attackedUserEmbedding.unsqueeze(2)).squeeze(2).add(constant, Scalars.One);

        public void Dispose() { weightedItems.Dispose(); constant.Dispose(); }
    }
}
