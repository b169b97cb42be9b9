using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Unlearning.Models;

/// <summary>The paper's target (<c>unlearning.target=attacked</c>): the attacked user embedding moves,
/// the distinguishability term is taken on it, and the scores are the model's frozen-pair scorer of it.</summary>
public sealed class AttackedUnlearningTarget(IRecommender model, Tensor items) : IUnlearningTarget
{
    private readonly IFixedPairScorer _scorer = model.FixedPairScorer(items);
    private readonly Parameter _embedding = model.AttackedUserEmbedding;

    public IReadOnlyList<Parameter> Moved => [_embedding];

    public Tensor Representation() => _embedding;

    public Tensor Scores() => _scorer.Score(_embedding);

    public void Dispose() => _scorer.Dispose();
}
