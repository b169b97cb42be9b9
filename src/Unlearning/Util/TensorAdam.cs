using System.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Unlearning.Util;

/// <summary>
/// Adam with tensor operations on any device. Not TorchSharp's optim.Adam: that one passes its
/// numbers as temporary Scalars, which a collection can free during the native call (see
/// <see cref="Scalars"/>); on a day-long GPU run that is a matter of time.
/// </summary>
public sealed class TensorAdam : IAdam
{
    private readonly Parameter[] _params;
    private readonly Tensor[] _m, _v;
    private readonly double _lr, _beta1, _beta2;
    private readonly Scalar _b1, _b2, _oneMinusB1, _oneMinusB2, _eps;
    private long _step;

    public TensorAdam(IReadOnlyList<Parameter> parameters, double lr, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        _params = parameters.ToArray();
        _m = _params.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _v = _params.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        (_lr, _beta1, _beta2) = (lr, beta1, beta2);
        (_b1, _b2, _oneMinusB1, _oneMinusB2, _eps) = (beta1.ToScalar(), beta2.ToScalar(), (1 - beta1).ToScalar(), (1 - beta2).ToScalar(), eps.ToScalar());
    }

    public void ZeroGrad()
    {
        AdamOptimizer.DropGradients(_params);
    }

    public void Step()
    {
        _step++;
        using var _ = no_grad();
        using var stepSize = (-_lr / (1 - Math.Pow(_beta1, _step))).ToScalar();
        using var invSqrtBc2 = (1 / Math.Sqrt(1 - Math.Pow(_beta2, _step))).ToScalar();
        for (int i = 0; i < _params.Length; i++)
        {
            using var g = _params[i].grad;
            if (g is null) continue;
            _m[i].mul_(_b1).add_(g, alpha: _oneMinusB1);
            _v[i].mul_(_b2).addcmul_(g, g, value: _oneMinusB2);
            using var denominator = _v[i].sqrt().mul_(invSqrtBc2).add_(_eps, Scalars.One);
            _params[i].addcdiv_(_m[i], denominator, value: stepSize);
        }
    }

    public AdamState Export() => new(_step, TensorValues.ReadAll(_m), TensorValues.ReadAll(_v));

    public void Import(AdamState state)
    {
        state.CheckShape(_params.Select(p => p.numel()).ToArray());
        TensorValues.WriteAll(_m, state.FirstMoments);
        TensorValues.WriteAll(_v, state.SecondMoments);
        _step = state.Step;
    }

    public void Dispose()
    {
        foreach (var t in _m.Concat(_v)) t.Dispose();
        foreach (var s in new[] { _b1, _b2, _oneMinusB1, _oneMinusB2, _eps }) s.Dispose();
    }
}
