using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp.Modules;

namespace Unlearning.Util;

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
