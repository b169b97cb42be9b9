using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Unlearning.Util;

/// <summary>Adam (Kingma and Ba; PyTorch's formulation, no weight decay, no AMSGrad).</summary>
public interface IAdam : IDisposable
{
    void ZeroGrad();
    void Step();

    /// <summary>Step count and moments, for a checkpoint.</summary>
    AdamState Export();

    /// <summary>Continues from a checkpoint's step count and moments (same parameters, same order).</summary>
    void Import(AdamState state);
}

/// <summary>Adam's state: steps taken and both moments of every parameter, as float arrays.</summary>
public sealed record AdamState(long Step, float[][] FirstMoments, float[][] SecondMoments)
{
    internal void CheckShape(IReadOnlyList<long> sizes)
    {
        if (FirstMoments.Length != sizes.Count || SecondMoments.Length != sizes.Count
            || Enumerable.Range(0, sizes.Count).Any(i => FirstMoments[i].LongLength != sizes[i] || SecondMoments[i].LongLength != sizes[i]))
            throw new InvalidDataException($"optimiser state of {FirstMoments.Length} tensors does not fit {sizes.Count} parameters");
    }
}

public static class AdamOptimizer
{
    /// <summary>On CPU a fused single-pass Adam (TorchSharp's issues a dozen tensor operations per
    /// parameter tensor, which dominates the cost of a small model's step); elsewhere
    /// <see cref="TensorAdam"/>.</summary>
    public static IAdam Create(IReadOnlyList<Parameter> parameters, double lr, bool allowFused = true)
    {
        bool allCpuFloat = parameters.All(p => TorchRuntime.UsesCpuKernels(p.device, p.dtype) && p.is_contiguous());
        return allowFused && allCpuFloat ? new FusedCpuAdam(parameters, lr) : new TensorAdam(parameters, lr);
    }

    /// <summary>Drops the gradients rather than zeroing them, as torch's zero_grad(set_to_none: true):
    /// the next backward stores its gradient instead of adding it to a zeroed one (a pass over
    /// every embedding table per step).</summary>
    internal static void DropGradients(IEnumerable<Parameter> parameters)
    {
        foreach (var p in parameters) p.grad = null;
    }
}

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

/// <summary>
/// Adam over contiguous float32 CPU tensors in one vectorised pass per tensor:
/// m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g²; p -= lr / (1 - b1^t) · m / (sqrt(v) / sqrt(1 - b2^t) + eps).
/// </summary>
public sealed class FusedCpuAdam : IAdam
{
    private readonly Parameter[] _params;
    private readonly float[][] _m;
    private readonly float[][] _v;
    private readonly double _lr, _beta1, _beta2, _eps;
    private long _step;

    public FusedCpuAdam(IReadOnlyList<Parameter> parameters, double lr, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        _params = parameters.ToArray();
        _m = _params.Select(p => new float[p.numel()]).ToArray();
        _v = _params.Select(p => new float[p.numel()]).ToArray();
        (_lr, _beta1, _beta2, _eps) = (lr, beta1, beta2, eps);
    }

    public void ZeroGrad()
    {
        AdamOptimizer.DropGradients(_params);
    }

    public void Step()
    {
        _step++;
        double bc1 = 1 - Math.Pow(_beta1, _step), bc2 = 1 - Math.Pow(_beta2, _step);
        float stepSize = (float)(_lr / bc1), invSqrtBc2 = (float)(1 / Math.Sqrt(bc2));
        float b1 = (float)_beta1, b2 = (float)_beta2, eps = (float)_eps;
        for (int i = 0; i < _params.Length; i++)
        {
            var g = _params[i].grad;
            if (g is null) continue;
            Update(TensorMemory.AsFloats(_params[i]), TensorMemory.AsFloats(g), _m[i], _v[i], b1, b2, eps, stepSize, invSqrtBc2);
        }
    }

    private static void Update(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float b1, float b2, float eps, float stepSize, float invSqrtBc2)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<float>.Count;
            var vb1 = new Vector<float>(b1); var vb1c = new Vector<float>(1 - b1);
            var vb2 = new Vector<float>(b2); var vb2c = new Vector<float>(1 - b2);
            var veps = new Vector<float>(eps); var vstep = new Vector<float>(stepSize); var vinv = new Vector<float>(invSqrtBc2);
            var pv = MemoryMarshal.Cast<float, Vector<float>>(p);
            var gv = MemoryMarshal.Cast<float, Vector<float>>(g);
            var mv = MemoryMarshal.Cast<float, Vector<float>>(m);
            var vv = MemoryMarshal.Cast<float, Vector<float>>(v);
            for (int k = 0; k < pv.Length; k++)
            {
                var gk = gv[k];
                var mk = vb1 * mv[k] + vb1c * gk;
                var vk = vb2 * vv[k] + vb2c * gk * gk;
                mv[k] = mk; vv[k] = vk;
                pv[k] -= vstep * mk / (Vector.SquareRoot(vk) * vinv + veps);
            }
            i = pv.Length * w;
        }
        for (; i < p.Length; i++)
        {
            float gk = g[i];
            m[i] = b1 * m[i] + (1 - b1) * gk;
            v[i] = b2 * v[i] + (1 - b2) * gk * gk;
            p[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) * invSqrtBc2 + eps);
        }
    }

    public AdamState Export() => new(_step, _m.Select(a => (float[])a.Clone()).ToArray(), _v.Select(a => (float[])a.Clone()).ToArray());

    public void Import(AdamState state)
    {
        state.CheckShape(_params.Select(p => p.numel()).ToArray());
        for (int i = 0; i < _params.Length; i++)
        {
            state.FirstMoments[i].CopyTo(_m[i], 0);
            state.SecondMoments[i].CopyTo(_v[i], 0);
        }
        _step = state.Step;
    }

    public void Dispose() { }
}
