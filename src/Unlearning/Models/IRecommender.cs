using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Unlearning.Models;

/// <summary>A trained or trainable recommender whose user representation an attacker reads.</summary>
public interface IRecommender : IDisposable
{
    int NumUsers { get; }
    int NumItems { get; }
    Device Device { get; }

    /// <summary>All parameters the recommender trains.</summary>
    IReadOnlyList<Parameter> TrainableParameters { get; }

    /// <summary>The user embedding table an attacker reads (n_users x <see cref="AttackedDim"/>):
    /// the GMF user embedding for NCF, the layer-0 (ego) user embedding for LightGCN.</summary>
    Parameter AttackedUserEmbedding { get; }
    int AttackedDim { get; }

    /// <summary>Everything the recommender holds about each user (n_users x d, no gradient): NCF's GMF
    /// and MLP user embeddings side by side, LightGCN's propagated final user embedding. The paper
    /// attacks only <see cref="AttackedUserEmbedding"/>; this is what a recommender exposes in all.</summary>
    Tensor FullUserRepresentation();

    /// <summary>Sum of the squared layer-0 embedding rows of the given users and items, repeats
    /// counted (the L2 term of LightGCN's public code); differentiable. NCF: its GMF and MLP tables.</summary>
    Tensor EgoSquaredNorm(Tensor users, Tensor items);

    /// <summary>Logits for parallel 1-D int64 tensors of users and items (training forward).</summary>
    Tensor Logits(Tensor users, Tensor items);

    /// <summary>Logits of each user's row of <paramref name="items"/> ([n_users, k] int64) for
    /// all users in order; no gradient.</summary>
    Tensor ScoreAllUsers(Tensor items);

    /// <summary>Top-<paramref name="k"/> items per user by score among items the user never
    /// interacted with (mask(first, count) true = interacted, [count, n_items] bool), descending, for
    /// the users [<paramref name="firstUser"/>, firstUser + <paramref name="users"/>) (default: all).</summary>
    Tensor TopItems(Func<long, long, Tensor> interactedMask, int k, long firstUser = 0, long? users = null);

    /// <summary>A scorer of fixed (user row, items) pairs as a function of the attacked user
    /// embedding alone, everything else frozen and precomputed (post-training unlearning).</summary>
    IFixedPairScorer FixedPairScorer(Tensor items);

    /// <summary>Unlearning of the whole user representation (<c>unlearning.target=full</c>): the
    /// parameters that move, <see cref="FullUserRepresentation"/> as a differentiable function of them,
    /// and the scores of the fixed (user row, <paramref name="items"/>) pairs through the model's own
    /// forward with everything else frozen. NCF: both user tables move; LightGCN: the ego user table
    /// moves and the representation is the propagated user embedding (docs/decisions.md).</summary>
    IUnlearningTarget FullUnlearningTarget(Tensor items);

    void Save(string path);
    void Load(string path);
}
