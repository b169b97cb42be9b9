using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Unlearning.Util;

namespace Unlearning.Models;

/// <summary>
/// LightGCN (He et al. 2020): F = (E⁰ + ÂE⁰ + Â²E⁰ + Â³E⁰) / 4, logit(u, i) = F_u · F_i, with
/// E⁰ = [users; items] initialised N(0, 0.1). The attacked user representation is the ego
/// (layer-0) user embedding.
/// </summary>
public sealed partial class LightGcn : Module<Tensor, Tensor, Tensor>, IRecommender
{
    private readonly Parameter user_embedding, item_embedding;
    private readonly LightGcnPropagation _propagation;
    private readonly List<Parameter> _trainable;
    private readonly Lazy<BipartitePropagation> _bipartite;

    public LightGcn(int numUsers, int numItems, int[] trainUsers, int[] trainItems, LightGcnOptions options,
        Device device, Generator generator, bool? dense = null) : base("LightGCN")
    {
        NumUsers = numUsers; NumItems = numItems; Device = device; Options = options;
        user_embedding = new Parameter(SeededInit.Normal([numUsers, options.Dim], options.EmbeddingStd, generator));
        item_embedding = new Parameter(SeededInit.Normal([numItems, options.Dim], options.EmbeddingStd, generator));
        RegisterComponents();
        this.to(device);
        _trainable = parameters().ToList();
        IsDense = dense ?? numUsers + numItems <= options.DensePropagationMaxNodes;
        _propagation = LightGcnPropagation.Create(numUsers, numItems, trainUsers, trainItems, options.Layers, IsDense, device);
        _bipartite = new(() => new BipartitePropagation(numUsers, numItems, trainUsers, trainItems, options.Layers));
    }

    public LightGcnOptions Options { get; }
    public bool IsDense { get; }
    public int NumUsers { get; }
    public int NumItems { get; }
    public Device Device { get; }
    public IReadOnlyList<Parameter> TrainableParameters => _trainable;
    public Parameter AttackedUserEmbedding => user_embedding;
    public int AttackedDim => Options.Dim;

    public Tensor FullUserRepresentation()
    {
        // A copy of the users' rows, so that the whole propagated table is freed at once (GPU memory).
        using var scope = NewDisposeScope();
        var (users, _) = FinalEmbeddings();
        return users.clone().MoveToOuterDisposeScope();
    }

    private Tensor Ego() => cat([user_embedding, item_embedding], 0);

    public override Tensor forward(Tensor users, Tensor items) => Logits(users, items);

    public Tensor Logits(Tensor users, Tensor items)
    {
        using var scope = NewDisposeScope();
        long b = users.shape[0];
        var rows = cat([users, items.add(Scalars.Of((long)NumUsers), Scalars.One)], 0);
        var f = _propagation.Rows(Ego(), rows);
        return f.narrow(0, 0, b).mul(f.narrow(0, b, b)).sum(1).MoveToOuterDisposeScope();
    }

    public Tensor EgoSquaredNorm(Tensor users, Tensor items)
    {
        using var scope = NewDisposeScope();
        return user_embedding.index_select(0, users).square().sum()
            .add(item_embedding.index_select(0, items).square().sum(), Scalars.One).MoveToOuterDisposeScope();
    }

    /// <summary>Final embeddings of all users and items (no gradient).</summary>
    public (Tensor Users, Tensor Items) FinalEmbeddings()
    {
        using var _ = no_grad();
        var f = _propagation.All(Ego());
        return (f.narrow(0, 0, NumUsers), f.narrow(0, NumUsers, NumItems));
    }

    public Tensor ScoreAllUsers(Tensor items)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (fu, fi) = FinalEmbeddings();
        return ScorePairs(fu, fi, items).MoveToOuterDisposeScope();
    }

    private static Tensor ScorePairs(Tensor userRows, Tensor itemTable, Tensor items)
    {
        long n = items.shape[0], k = items.shape[1];
        var gathered = itemTable.index_select(0, items.reshape(-1)).view(n, k, -1);
        return gathered.bmm(userRows.unsqueeze(2)).squeeze(2);
    }

    public Tensor TopItems(Func<long, long, Tensor> interactedMask, int k, long firstUser = 0, long? users = null)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (fu, fi) = FinalEmbeddings();
        long usersPerChunk = Math.Max(1, (1 << 22) / NumItems);
        var tops = new List<Tensor>();
        long end = UserRange.End(firstUser, users, NumUsers);
        for (long s = firstUser; s < end; s += usersPerChunk)
        {
            using var chunk = NewDisposeScope();
            long len = Math.Min(usersPerChunk, end - s);
            var scores = fu.narrow(0, s, len).matmul(fi.t());
            scores.masked_fill_(interactedMask(s, len), Scalars.Of(double.NegativeInfinity));
            tops.Add(scores.topk(k, dim: 1, largest: true, sorted: true).indexes.MoveToOuterDisposeScope());
        }
        return cat(tops, 0).MoveToOuterDisposeScope();
    }

    /// <summary>On the CPU the sparse two-block propagation with a hand-written gradient (a few
    /// milliseconds per unlearning step at ML-100K size instead of tens); elsewhere autograd over
    /// the rows of P.</summary>
    public IFixedPairScorer FixedPairScorer(Tensor items) =>
        TorchRuntime.UsesCpuKernels(Device, user_embedding.dtype) ? CpuFixedPairScorer(items) : TorchFixedPairScorer(items);

    internal IFixedPairScorer CpuFixedPairScorer(Tensor items)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var itemPart = _propagation.All(cat([zeros_like(user_embedding), item_embedding], 0));
        return new LightGcnCpuPairScorer(_bipartite.Value, itemPart, items);
    }

    internal IFixedPairScorer TorchFixedPairScorer(Tensor items)
    {
        using var scope = NewDisposeScope();
        var (unique, inverse, _) = torch.unique(items.reshape(-1), sorted: true, return_inverse: true);
        var rows = cat([arange(Scalars.Of(0L), Scalars.Of((long)NumUsers), Scalars.One, device: Device), unique.add(Scalars.Of((long)NumUsers), Scalars.One)], 0);
        var rowsOf = _propagation.RowsOfUserBlock(item_embedding.detach(), rows, NumUsers);
        var itemSlots = inverse!.view(items.shape).MoveToOuterDisposeScope();
        return new LightGcnFixedPairScorer(rowsOf, itemSlots, NumUsers);
    }

    public void Save(string path) => this.save(path);
    public void Load(string path) => this.load(path);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _propagation.Dispose();
        base.Dispose(disposing);
    }

    private sealed class LightGcnFixedPairScorer(UserBlockRows rowsOf, Tensor itemSlots, int numUsers) : IFixedPairScorer
    {
        public Tensor Score(Tensor attackedUserEmbedding)
        {
            var f = rowsOf.Compute(attackedUserEmbedding);
            var users = f.narrow(0, 0, numUsers);
            var items = f.narrow(0, numUsers, f.shape[0] - numUsers);
            return ScorePairs(users, items, itemSlots);
        }

        public void Dispose() { itemSlots.Dispose(); rowsOf.Dispose(); }
    }
}
