using static TorchSharp.torch;
using Unlearning.Util;

namespace Unlearning.Losses;

/// <summary>
/// Function-space regulariser of post-training unlearning: for each user's top-K items under the
/// original model (descending), Σ_users Σ_{n=0}^{K−2} max(0, s_{n+1} − s_n + margin).
/// </summary>
public static class RankingMarginLoss
{
    public const double DefaultMargin = 0.05;

    /// <param name="scores">[n_users, K] current scores of each user's original top-K, in original order.</param>
    public static Tensor Compute(Tensor scores, double margin = DefaultMargin)
    {
        long k = scores.shape[1];
        using var scope = NewDisposeScope();
        var higher = scores.narrow(1, 0, k - 1);
        var lower = scores.narrow(1, 1, k - 1);
        return lower.sub(higher).add_(Scalars.Of(margin), Scalars.One).clamp_min_(Scalars.Of(0.0)).sum().MoveToOuterDisposeScope();
    }
}
