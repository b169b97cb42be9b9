using TorchSharp.Modules;
using Unlearning.Util;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Unlearning.Models;

public sealed partial class NeuMF
{
    /// <summary>Both user tables move (the GMF table p and the MLP table p'), the full representation
    /// is [p_u ; p'_u], and the scores are the model's own logits of the fixed pairs,
    /// h_gmf · (p_u ⊙ q_i) + h_mlp · MLP(W₁ᵤ p'_u + W₁ᵢ q'_i + b₁) + b, with the item tables, the MLP's
    /// layers and the prediction layer frozen (detached; W₁ᵢ q'_i + b₁ precomputed per pair).</summary>
    public IUnlearningTarget FullUnlearningTarget(Tensor items) => new FullTarget(this, items);

    private sealed class FullTarget : IUnlearningTarget
    {
        private readonly NeuMF _model;
        private readonly Tensor _weightedItems, _itemFirstLayer, _userFirstLayer, _mlpOutput, _bias;
        private readonly (Tensor Weight, Tensor Bias)[] _deeperLayers;

        public FullTarget(NeuMF model, Tensor items)
        {
            _model = model;
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            long users = items.shape[0], k = items.shape[1];
            var flat = items.reshape(-1);
            _weightedItems = Keep(model.WeightedGmfItems(flat, users, k));
            _itemFirstLayer = Keep(model.ItemPartOfFirstLayer().index_select(0, flat).add(model.mlp[0].bias!, Scalars.One).view(users, k, -1));
            _userFirstLayer = Keep(model.UserHalfOfFirstLayer().t().clone());
            _deeperLayers = model.mlp.Skip(1).Select(l => (Keep(l.weight!.clone()), Keep(l.bias!.clone()))).ToArray();
            _mlpOutput = Keep(model.PredictionHalves().Mlp.clone());
            _bias = Keep(model.predict.bias!.clone());
        }

        private static Tensor Keep(Tensor t) => t.detach().DetachFromDisposeScope();

        public IReadOnlyList<Parameter> Moved => [_model.gmf_user, _model.mlp_user];

        public Tensor Representation() => cat([_model.gmf_user, _model.mlp_user], 1);

        public Tensor Scores()
        {
            using var scope = NewDisposeScope();
            var gmf = _weightedItems.bmm(_model.gmf_user.unsqueeze(2)).squeeze(2);
            var h = functional.relu(_model.mlp_user.matmul(_userFirstLayer).unsqueeze(1).add(_itemFirstLayer, Scalars.One));
            foreach (var (weight, bias) in _deeperLayers) h = functional.relu(functional.linear(h, weight, bias));
            return h.matmul(_mlpOutput).add(gmf, Scalars.One).add(_bias, Scalars.One).MoveToOuterDisposeScope();
        }

        public void Dispose()
        {
            foreach (var t in new[] { _weightedItems, _itemFirstLayer, _userFirstLayer, _mlpOutput, _bias }) t.Dispose();
            foreach (var (weight, bias) in _deeperLayers) { weight.Dispose(); bias.Dispose(); }
        }
    }
}
