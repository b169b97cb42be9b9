using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Unlearning.Models;

/// <summary>
/// What post-training unlearning moves, and the two functions of it that its objective reads: the
/// user representation the distinguishability term is taken on, and the scores of each user's fixed
/// original top-K that the ranking regulariser keeps in order. Everything that does not move is frozen.
/// </summary>
public interface IUnlearningTarget : IDisposable
{
    /// <summary>The parameters that move, in a fixed order (a checkpoint stores them and their
    /// optimiser moments in this order).</summary>
    IReadOnlyList<Parameter> Moved { get; }

    /// <summary>One row per user (n_users x d), differentiable with respect to <see cref="Moved"/>.</summary>
    Tensor Representation();

    /// <summary>Logits of the fixed [n_users, k] items the target was made for, differentiable with
    /// respect to <see cref="Moved"/>. The backward of one call must run before the next call.</summary>
    Tensor Scores();
}
