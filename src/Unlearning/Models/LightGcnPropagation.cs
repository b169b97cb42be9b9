using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;
using Unlearning.Util;

namespace Unlearning.Models;

/// <summary>LightGCN's propagation F = (E + ÂE + Â²E + Â³E) / 4 with Â = D^-1/2 A D^-1/2 of the
/// user-item bipartite training graph (users first, then items).</summary>
public abstract class LightGcnPropagation : IDisposable
{
    public abstract Tensor All(Tensor embeddings);

    /// <summary>Rows of F for the given node ids; F is linear in E.</summary>
    public abstract Tensor Rows(Tensor embeddings, Tensor rows);

    /// <summary>Rows of F as a function of the user block U of E alone, the item block fixed.</summary>
    public abstract UserBlockRows RowsOfUserBlock(Tensor itemEmbeddings, Tensor rows, int numUsers);

    public abstract void Dispose();

    private static void SortColumnsWithinRows(long[] rows, long[] cols, float[] values)
    {
        int start = 0;
        while (start < rows.Length)
        {
            int end = start;
            while (end < rows.Length && rows[end] == rows[start]) end++;
            Array.Sort(cols, values, start, end - start);
            start = end;
        }
    }

    public static LightGcnPropagation Create(int numUsers, int numItems, int[] trainUsers, int[] trainItems,
        int layers, bool dense, Device device)
    {
        if (!dense && TorchRuntime.UsesCpuKernels(device)) return new CpuSparseLightGcnPropagation(numUsers, numItems, trainUsers, trainItems, layers);
        using var adjacency = NormalisedAdjacency(numUsers, numItems, trainUsers, trainItems);
        return dense
            ? new DenseLightGcnPropagation(adjacency, numUsers + numItems, layers, device)
            : new SparseLightGcnPropagation(adjacency.to(device), layers);
    }

    /// <summary>Node degrees (users first, then items) and the weight 1 / sqrt(d_u d_i) of each
    /// training pair: the entries of Â = D^-1/2 A D^-1/2.</summary>
    public static (double[] Degree, float[] Weights) EdgeWeights(int numUsers, int numItems, int[] trainUsers, int[] trainItems)
    {
        var degree = new double[numUsers + numItems];
        for (int e = 0; e < trainUsers.Length; e++) { degree[trainUsers[e]]++; degree[numUsers + trainItems[e]]++; }
        var weights = new float[trainUsers.Length];
        for (int e = 0; e < weights.Length; e++)
            weights[e] = (float)(1.0 / Math.Sqrt(degree[trainUsers[e]] * degree[numUsers + trainItems[e]]));
        return (degree, weights);
    }

    /// <summary>Â = D^-1/2 A D^-1/2 as a sparse COO tensor on the CPU, entries in row-major order.</summary>
    public static Tensor NormalisedAdjacency(int numUsers, int numItems, int[] trainUsers, int[] trainItems)
    {
        int n = numUsers + numItems, nnz = trainUsers.Length;
        var (degree, weights) = EdgeWeights(numUsers, numItems, trainUsers, trainItems);
        // Counting sort by row, then by column within a row, so the entries are in coalesced order.
        var next = new long[n + 1];
        for (int v = 0; v < n; v++) next[v + 1] = next[v] + (long)degree[v];
        var rows = new long[2 * nnz];
        var cols = new long[2 * nnz];
        var values = new float[2 * nnz];
        void Put(long r, long c, float w) { long at = next[r]++; rows[at] = r; cols[at] = c; values[at] = w; }
        for (int e = 0; e < nnz; e++) Put(trainUsers[e], numUsers + trainItems[e], weights[e]);
        for (int e = 0; e < nnz; e++) Put(numUsers + trainItems[e], trainUsers[e], weights[e]);
        SortColumnsWithinRows(rows, cols, values);
        using var indices = stack([tensor(rows), tensor(cols)]);
        using var vals = tensor(values);
        return sparse_coo_tensor(indices, vals, [n, n]);
    }
}

/// <summary>Keeps P = (I + Â + Â² + Â³) / 4 dense: a step needs only the rows of P of its batch's
/// nodes (exact). For graphs whose P fits in memory.</summary>
public sealed class DenseLightGcnPropagation : LightGcnPropagation
{
    private readonly Tensor _p;

    public DenseLightGcnPropagation(Tensor adjacency, int nodes, int layers, Device device)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var power = eye(nodes);
        var sum = eye(nodes);
        for (int l = 0; l < layers; l++)
        {
            power = adjacency.matmul(power);
            sum.add_(power, Scalars.One);
        }
        _p = sum.div_(Scalars.Of((double)(layers + 1))).to(device).MoveToOuterDisposeScope();
    }

    public override Tensor All(Tensor embeddings) => _p.matmul(embeddings);

    public override Tensor Rows(Tensor embeddings, Tensor rows) => _p.index_select(0, rows).matmul(embeddings);

    /// <summary>F[rows] = P[rows, users] U + P[rows, items] I, the second term precomputed.</summary>
    public override UserBlockRows RowsOfUserBlock(Tensor itemEmbeddings, Tensor rows, int numUsers)
    {
        using var _ = no_grad();
        using var selected = _p.index_select(0, rows);
        var userColumns = selected.narrow(1, 0, numUsers).contiguous();
        var constant = selected.narrow(1, numUsers, selected.shape[1] - numUsers).matmul(itemEmbeddings);
        return new UserBlockRows(users => userColumns.matmul(users).add(constant, Scalars.One), [userColumns, constant]);
    }

    public override void Dispose() => _p.Dispose();
}

/// <summary>Propagates the whole graph layer by layer (large graphs): rows are taken from all of F.</summary>
public abstract class WholeGraphPropagation : LightGcnPropagation
{
    public override Tensor Rows(Tensor embeddings, Tensor rows) => All(embeddings).index_select(0, rows);

    public override UserBlockRows RowsOfUserBlock(Tensor itemEmbeddings, Tensor rows, int numUsers)
    {
        var items = itemEmbeddings.detach().clone();
        var kept = rows.clone();
        return new UserBlockRows(users => All(cat([users, items], 0)).index_select(0, kept), [items, kept]);
    }
}

/// <summary>Propagates layer by layer with torch's sparse Â (large graphs on GPUs).</summary>
public sealed class SparseLightGcnPropagation(Tensor adjacency, int layers) : WholeGraphPropagation
{
    public override Tensor All(Tensor embeddings)
    {
        var sum = embeddings;
        var layer = embeddings;
        for (int l = 0; l < layers; l++)
        {
            layer = adjacency.matmul(layer);
            sum = sum.add(layer, Scalars.One);
        }
        return sum.div(Scalars.Of((double)(layers + 1)));
    }


    public override void Dispose() => adjacency.Dispose();
}

/// <summary>
/// Propagates layer by layer with a CSR Â on the CPU (large graphs), in both directions by hand:
/// P = (I + Â + … + Â^L) / (L + 1) is symmetric, so the gradient of F = P E is P G. Autograd over
/// torch's sparse matmul took 4.3 s per LightGCN training step at LFM-2B's size (120k nodes) on
/// this CPU, this 0.8 s.
/// </summary>
public sealed class CpuSparseLightGcnPropagation : WholeGraphPropagation
{
    private readonly CsrMatrix _adjacency;
    private readonly int _layers;

    public CpuSparseLightGcnPropagation(int numUsers, int numItems, int[] trainUsers, int[] trainItems, int layers)
    {
        var (_, weights) = EdgeWeights(numUsers, numItems, trainUsers, trainItems);
        int nnz = trainUsers.Length;
        var rows = new int[2 * nnz];
        var columns = new int[2 * nnz];
        var values = new float[2 * nnz];
        for (int e = 0; e < nnz; e++)
        {
            rows[e] = columns[nnz + e] = trainUsers[e];
            columns[e] = rows[nnz + e] = numUsers + trainItems[e];
            values[e] = values[nnz + e] = weights[e];
        }
        _adjacency = CsrMatrix.FromTriplets(numUsers + numItems, numUsers + numItems, rows, columns, values);
        _layers = layers;
    }

    public override Tensor All(Tensor embeddings) => Propagation.apply(embeddings, this);


    /// <summary>P x for x [nodes, dim], without autograd; the CSR products use torch's thread count.</summary>
    internal Tensor Apply(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, torch.get_num_threads()) };
        var input = x.detach().to(ScalarType.Float32).contiguous();
        var sum = input.clone();
        var layer = input;
        var next = empty_like(input);
        for (int l = 0; l < _layers; l++)
        {
            _adjacency.Multiply(layer, next, options);
            sum.add_(next, Scalars.One);
            // The input is never overwritten; after the first layer the two buffers alternate.
            (layer, next) = (next, l == 0 ? empty_like(input) : layer);
        }
        return sum.div_(Scalars.Of((double)(_layers + 1))).to(x.dtype).MoveToOuterDisposeScope();
    }

    public override void Dispose() { }

    private sealed class Propagation : SingleTensorFunction<Propagation>
    {
        public override string Name => "LightGcnCpuPropagation";

        public override Tensor forward(AutogradContext ctx, params object[] vars)
        {
            var propagation = (CpuSparseLightGcnPropagation)vars[1];
            ctx.save_data("propagation", propagation);
            return propagation.Apply((Tensor)vars[0]);
        }

        public override List<Tensor> backward(AutogradContext ctx, Tensor gradOutput) =>
            [((CpuSparseLightGcnPropagation)ctx.get_data("propagation")).Apply(gradOutput), null!];
    }
}

/// <summary>A function of the user embedding block and the tensors it keeps alive.</summary>
public sealed class UserBlockRows : IDisposable
{
    private readonly Func<Tensor, Tensor> compute;
    private readonly Tensor[] owned;

    /// <summary>The owned tensors leave any dispose scope: this object disposes them.</summary>
    public UserBlockRows(Func<Tensor, Tensor> compute, Tensor[] owned)
    {
        this.compute = compute;
        this.owned = owned;
        foreach (var t in owned) t.DetachFromDisposeScope();
    }

    public Tensor Compute(Tensor users) => compute(users);

    public void Dispose()
    {
        foreach (var t in owned) t.Dispose();
    }
}
