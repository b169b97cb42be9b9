using TorchSharp.Modules;
using Unlearning.Util;
using static TorchSharp.torch;

namespace Unlearning.Models;

public sealed partial class LightGcn
{
    /// <summary>The ego user table U moves; the item table and the graph stay. The representation is
    /// the propagated user embedding F_users = P_uu U + P_ui I (the item term constant), and the scores
    /// are <see cref="FixedPairScorer"/>'s, which already propagate U to both sides of each pair.
    /// U alone reaches every F_users: P_uu = Σ_{even l ≤ L} (Â_ui Â_iu)^{l/2} / (L + 1) is the identity
    /// over L + 1 plus positive semi-definite terms, so it is invertible (docs/decisions.md).</summary>
    public IUnlearningTarget FullUnlearningTarget(Tensor items)
    {
        using var scope = NewDisposeScope();
        var users = arange(Scalars.Of(0L), Scalars.Of((long)NumUsers), Scalars.One, device: Device);
        return new FullTarget(user_embedding, _propagation.RowsOfUserBlock(item_embedding.detach(), users, NumUsers), FixedPairScorer(items));
    }

    private sealed class FullTarget(Parameter users, UserBlockRows propagated, IFixedPairScorer scorer) : IUnlearningTarget
    {
        public IReadOnlyList<Parameter> Moved => [users];

        public Tensor Representation() => propagated.Compute(users);

        public Tensor Scores() => scorer.Score(users);

        public void Dispose()
        {
            scorer.Dispose();
            propagated.Dispose();
        }
    }
}
