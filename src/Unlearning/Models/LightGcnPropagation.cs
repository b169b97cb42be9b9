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
