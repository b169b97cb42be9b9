using Unlearning.Util;
using static TorchSharp.torch;

namespace Unlearning.Losses;

/// <summary>
/// Coding rates of user embeddings (after "Plug and Play", Feng et al., WWW 2025), in the d x d form:
/// with E the m x d embeddings (Z = Eᵀ) and E_j the rows of group j (m_j of them),
/// R(E) = ½ logdet(I + d / (m ε²) EᵀE) and R^c(E | Π) = Σ_j m_j / (2m) logdet(I + d / (m_j ε²) E_jᵀE_j).
/// Unlearning maximises R^c − λ |R − b| (b: the original embeddings' R): each group's embeddings
/// spread like all users' (the rate reduction R − R^c, which measures how much the groups separate,
/// falls) while the whole keeps its rate (no collapse). As a loss to minimise: λ |R − b| − R^c.
/// Computed in float64 (a Cholesky factor gives the log-determinant); differentiable.
/// </summary>
public static class CodingRate
{
    /// <summary>R(E).</summary>
    public static Tensor Rate(Tensor embeddings, double epsilon)
    {
        using var scope = NewDisposeScope();
        return HalfLogDet(embeddings.to_type(ScalarType.Float64), epsilon).MoveToOuterDisposeScope();
    }

    /// <summary>R^c(E | Π) over the users of each group.</summary>
    public static Tensor GroupRate(Tensor embeddings, IReadOnlyList<Tensor> groupRows, double epsilon)
    {
        using var scope = NewDisposeScope();
        return GroupHalfLogDets(embeddings.to_type(ScalarType.Float64), groupRows, epsilon).MoveToOuterDisposeScope();
    }

    /// <summary>λ |R(E) − b| − R^c(E | Π), in the embeddings' dtype.</summary>
    public static Tensor Loss(Tensor embeddings, IReadOnlyList<Tensor> groupRows, double epsilon, double lambda, double originalRate)
    {
        using var scope = NewDisposeScope();
        var e = embeddings.to_type(ScalarType.Float64);
        var drift = HalfLogDet(e, epsilon).sub(Scalars.Of(originalRate)).abs().mul(Scalars.Of(lambda));
        return drift.sub(GroupHalfLogDets(e, groupRows, epsilon)).to_type(embeddings.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>Σ_j m_j / m · ½ logdet(I + d / (m_j ε²) E_jᵀE_j) of float64 rows.</summary>
    private static Tensor GroupHalfLogDets(Tensor e, IReadOnlyList<Tensor> groupRows, double epsilon)
    {
        long m = e.shape[0];
        Tensor? sum = null;
        foreach (var rows in groupRows)
        {
            var group = e.index_select(0, rows);
            var weighted = HalfLogDet(group, epsilon).mul(Scalars.Of((double)group.shape[0] / m));
            sum = sum is null ? weighted : sum.add(weighted, Scalars.One);
        }
        return sum ?? zeros(1, dtype: ScalarType.Float64, device: e.device).squeeze();
    }

    /// <summary>½ logdet(I + d / (m ε²) EᵀE) for m rows of width d.</summary>
    private static Tensor HalfLogDet(Tensor e, double epsilon)
    {
        long m = e.shape[0], d = e.shape[1];
        var gram = e.t().matmul(e).mul(Scalars.Of(d / (m * epsilon * epsilon)));
        var a = gram.add(eye(d, dtype: e.dtype, device: e.device), Scalars.One);
        // logdet of a symmetric positive definite matrix: twice the log-diagonal sum of its Cholesky factor.
        return linalg.cholesky(a).diagonal().log().sum();
    }
}
