using static TorchSharp.torch;
using Unlearning.Util;

namespace Unlearning.Losses;

/// <summary>
/// User-to-user distinguishability loss: Σ_{i ∈ G0, j ∈ G1} ||e_i − e_j||² = trace(Eᵀ L E) for the
/// Laplacian L of the complete bipartite graph between the groups, computed in O(N d) as
/// |G1| Σ_{G0} ||e||² + |G0| Σ_{G1} ||e||² − 2 (Σ_{G0} e) · (Σ_{G1} e). With k groups, the sum of
/// that over every pair of groups: trace(Eᵀ L E) for the complete k-partite graph.
/// </summary>
public static class U2ULoss
{
    /// <summary>Σ over pairs of groups a &lt; b of <see cref="Compute"/>(a, b); for two groups exactly
    /// the one pair's value (same operations, so binary results are unchanged).</summary>
    public static Tensor AcrossGroups(Tensor embeddings, IReadOnlyList<Tensor> groupRows)
    {
        Tensor? sum = null;
        for (int a = 0; a < groupRows.Count; a++)
            for (int b = a + 1; b < groupRows.Count; b++)
            {
                var term = Compute(embeddings, groupRows[a], groupRows[b]);
                if (sum is null) sum = term;
                else
                {
                    var next = sum.add(term, Scalars.One);
                    sum.Dispose();
                    term.Dispose();
                    sum = next;
                }
            }
        return sum ?? zeros(1, device: embeddings.device).squeeze();
    }

    public static Tensor Compute(Tensor embeddings, Tensor group0Rows, Tensor group1Rows)
    {
        using var scope = NewDisposeScope();
        var e0 = embeddings.index_select(0, group0Rows);
        var e1 = embeddings.index_select(0, group1Rows);
        double n0 = group0Rows.shape[0], n1 = group1Rows.shape[0];
        var loss = e0.mul(e0).sum().mul(Scalars.Of(n1))
            .add(e1.mul(e1).sum().mul(Scalars.Of(n0)), Scalars.One)
            .sub(e0.sum(dim: 0).dot(e1.sum(dim: 0)).mul(Scalars.Of(2.0)));
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>trace(Eᵀ L E) with the dense Laplacian of the complete multipartite graph of the
    /// groups (an edge between every two users of different groups); O(N²), for tests only.</summary>
    public static Tensor DenseLaplacianForm(Tensor embeddings, int[] userGroup)
    {
        using var scope = NewDisposeScope();
        int n = userGroup.Length;
        var adjacency = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (userGroup[i] != userGroup[j])
                    adjacency[i * n + j] = 1;
        var a = tensor(adjacency, [n, n], dtype: embeddings.dtype).to(embeddings.device);
        var laplacian = diag(a.sum(1)).sub(a);
        return embeddings.t().matmul(laplacian).matmul(embeddings).trace().MoveToOuterDisposeScope();
    }
}
