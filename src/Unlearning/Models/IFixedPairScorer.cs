using static TorchSharp.torch;

namespace Unlearning.Models;

/// <summary>Scores of fixed [n_users, k] items for a given attacked user embedding (differentiable).</summary>
public interface IFixedPairScorer : IDisposable
{
    Tensor Score(Tensor attackedUserEmbedding);
}
