using System.Runtime.CompilerServices;
using Unlearning.Util;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Unlearning.Models;

/// <summary>
/// Scores of each user's fixed items under LightGCN as a function of the ego user embedding U
/// alone (CPU): s(u, i) = F_u · F_i with F = P [U; 0] + P [0; I], the item part precomputed.
/// The forward and the gradient with respect to U are computed without autograd's intermediate
/// tensors (<see cref="BipartitePropagation"/>).
/// </summary>
internal sealed class LightGcnCpuPairScorer : IFixedPairScorer
{
    private readonly BipartitePropagation _propagation;
    private readonly float[] _constantUsers, _constantItems;
    private readonly int[] _items;
    private readonly int _k, _dim;
    // Buffers reused by every step: the final embeddings of the latest forward (its backward reads
    // them), the gradients and the propagation's scratch rows.
    private readonly float[] _finalUsers, _finalItems, _gradUsers, _gradItems, _gradU, _scores;
    private readonly BipartitePropagation.Workspace _work;
    private long _forwards;

    /// <param name="constant">P [0; I] for all users then all items ([users + items, dim]).</param>
    /// <param name="items">[users, k] item ids per user.</param>
    public LightGcnCpuPairScorer(BipartitePropagation propagation, Tensor constant, Tensor items)
    {
        _propagation = propagation;
        _dim = (int)constant.shape[1];
        _k = (int)items.shape[1];
        using var c = constant.detach().to(float32).cpu().contiguous();
        var all = TensorMemory.AsFloats(c);
        int userValues = propagation.NumUsers * _dim;
        _constantUsers = all[..userValues].ToArray();
        _constantItems = all[userValues..].ToArray();
        using var i = items.to(int32).cpu().contiguous();
        _items = i.data<int>().ToArray();
        _finalUsers = new float[userValues];
        _gradUsers = new float[userValues];
        _gradU = new float[userValues];
        _finalItems = new float[_constantItems.Length];
        _gradItems = new float[_constantItems.Length];
        _scores = new float[_items.Length];
        _work = new BipartitePropagation.Workspace(propagation.NumUsers, propagation.NumItems, _dim);
    }

    /// <summary>Differentiable scores; the backward of one call must run before the next call.</summary>
    public Tensor Score(Tensor attackedUserEmbedding) => PairScores.apply(attackedUserEmbedding, this);

    public void Dispose() { }

    /// <summary>Final embeddings of users and items for the given ego user embedding, then the scores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Tensor Forward(ReadOnlySpan<float> users)
    {
        _propagation.Forward(users, _finalUsers, _finalItems, _work);
        VectorOps.Add(_finalUsers, _constantUsers);
        VectorOps.Add(_finalItems, _constantItems);
        for (int u = 0; u < _propagation.NumUsers; u++)
        {
            var userRow = _finalUsers.AsSpan(u * _dim, _dim);
            for (int n = 0; n < _k; n++)
                _scores[u * _k + n] = VectorOps.Dot(userRow, _finalItems.AsSpan(_items[u * _k + n] * _dim, _dim));
        }
        _forwards++;
        return TensorMemory.Copy(_scores, _propagation.NumUsers, _k);
    }

    /// <summary>dU from the scores' gradient: through the dot products to the final embeddings,
    /// then back through the propagation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Tensor Backward(ReadOnlySpan<float> gradScores)
    {
        Array.Clear(_gradUsers);
        Array.Clear(_gradItems);
        for (int u = 0; u < _propagation.NumUsers; u++)
        {
            var userRow = _finalUsers.AsSpan(u * _dim, _dim);
            var userGrad = _gradUsers.AsSpan(u * _dim, _dim);
            for (int n = 0; n < _k; n++)
            {
                float g = gradScores[u * _k + n];
                if (g == 0) continue;
                int item = _items[u * _k + n];
                VectorOps.AddScaled(userGrad, _finalItems.AsSpan(item * _dim, _dim), g);
                VectorOps.AddScaled(_gradItems.AsSpan(item * _dim, _dim), userRow, g);
            }
        }
        _propagation.Backward(_gradUsers, _gradItems, _gradU, _work);
        return TensorMemory.Copy(_gradU, _propagation.NumUsers, _dim);
    }

    /// <summary>Autograd node: scores forward, dU from the scores' gradient backward.</summary>
    private sealed class PairScores : SingleTensorFunction<PairScores>
    {
        public override string Name => "LightGcnPairScores";

        public override Tensor forward(AutogradContext ctx, params object[] vars)
        {
            var scorer = (LightGcnCpuPairScorer)vars[1];
            using var users = ((Tensor)vars[0]).detach().contiguous();
            var scores = scorer.Forward(TensorMemory.AsFloats(users));
            ctx.save_data("scorer", scorer);
            ctx.save_data("forward", scorer._forwards);
            return scores;
        }

        public override List<Tensor> backward(AutogradContext ctx, Tensor gradOutput)
        {
            var scorer = (LightGcnCpuPairScorer)ctx.get_data("scorer");
            if ((long)ctx.get_data("forward") != scorer._forwards)
                throw new InvalidOperationException("LightGCN pair scores: the backward of a Score call ran after a later Score call overwrote its state");
            using var g = gradOutput.to(float32).contiguous();
            return [scorer.Backward(TensorMemory.AsFloats(g)), null!];
        }
    }
}
