using static TorchSharp.torch;
using Unlearning.Util;

namespace Unlearning.Losses;

/// <summary>
/// User-to-user distinguishability loss: Σ_{i ∈ G0, j ∈ G1} ||e_i − e_j||² = trace(Eᵀ L E) for the
/// Laplacian L of the complete bipartite graph between the groups, computed in O(N d) as
/// |G1| Σ_{G0} ||e||² + |G0| Σ_{G1} ||e||² − 2 (Σ_{G0} e) · (Σ_{G1} e).
/// </summary>
public static class U2ULoss
{
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

    /// <summary>trace(Eᵀ L E) with the dense Laplacian; O(N²), for tests only.</summary>
    public static Tensor DenseLaplacianForm(Tensor embeddings, int[] userGroup)
    {
        using var scope = NewDisposeScope();
        int n = userGroup.Length;
        var adjacency = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (userGroup[i] == 0 && userGroup[j] == 1 || userGroup[i] == 1 && userGroup[j] == 0)
                    adjacency[i * n + j] = 1;
        var a = tensor(adjacency, [n, n], dtype: embeddings.dtype).to(embeddings.device);
        var laplacian = diag(a.sum(1)).sub(a);
        return embeddings.t().matmul(laplacian).matmul(embeddings).trace().MoveToOuterDisposeScope();
    }
}
