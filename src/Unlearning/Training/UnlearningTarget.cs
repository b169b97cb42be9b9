using Unlearning.Models;
using static TorchSharp.torch;

namespace Unlearning.Training;

/// <summary>
/// Which user representation post-training unlearning makes indistinguishable (<c>unlearning.target</c>):
/// <c>attacked</c> (the paper's: the attacked table alone moves, the term is taken on it) or
/// <c>full</c> (the term is taken on <see cref="IRecommender.FullUserRepresentation"/>, what
/// <c>attack --view full</c> attacks; which parameters move is each model's
/// <see cref="IRecommender.FullUnlearningTarget"/>, docs/decisions.md says why).
/// </summary>
public static class UnlearningTarget
{
    public const string Attacked = "attacked", Full = "full";

    public static readonly string[] All = [Attacked, Full];

    /// <summary>Throws naming the setting where the target is not one this engine knows.</summary>
    public static void Require(string target)
    {
        if (!All.Contains(target))
            throw new ArgumentException($"unlearning.target must be {string.Join(" or ", All)}, got '{target}'");
    }

    /// <summary>The model's target of that name for each user's fixed <paramref name="items"/> ([n_users, k]).</summary>
    public static IUnlearningTarget Of(string target, IRecommender model, Tensor items)
    {
        Require(target);
        return target == Full ? model.FullUnlearningTarget(items) : new AttackedUnlearningTarget(model, items);
    }
}
