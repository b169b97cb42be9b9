using System.Numerics;
using TorchSharp;
using Unlearning.Util;
using static TorchSharp.torch;

namespace Unlearning.Losses;

/// <summary>
/// MMD of the first <c>ns</c> rows of X against the rest, and its gradient with respect to X,
/// computed without autograd in three n x n buffers (autograd keeps about twenty, and allocating
/// them dominates the cost on a CPU). With a = (1/|S|, …, −1/|T|, …): MMD = aᵀ K a; the kernel widths
/// double, so exp(−D / (b 2^k)) = x^(2^(4−k)) for x = exp(−D / (16 b)) (one exponential, then
/// squaring); dMMD/dD = a aᵀ ⊙ Σ_k −exp(−D / (b 2^k)) / (b 2^k); dMMD/dx_i = 4 Σ_j G_ij (x_i − x_j).
/// </summary>
internal static class MmdWithGradient
{
    // Keeps every factor a normal float: subnormal arithmetic is many times slower on x86, and the
    // clamped entries (below 1e-17) change the loss by nothing measurable.
    internal const double MinExponent = -40;
    internal const double MinFactor = 1.1e-19;

    public static (Tensor Loss, Tensor Gradient) Compute(Tensor input, long ns) =>
        TorchRuntime.UsesCpuKernels(input.device, input.dtype)
            ? FusedCpuMmd.Compute(input, ns)
            : ComputeWithTensors(input, ns);

    /// <summary>The rows less their mean, detached. Distances do not change, but computed from the
    /// Gram matrix (||x_i||² + ||x_j||² − 2 x_i·x_j) they lose the digits that the rows share: after
    /// U2U has pulled every user towards one point, uncentred distances are rounding noise and the
    /// bandwidth can come out as zero (a NaN loss).</summary>
    internal static Tensor Centred(Tensor input)
    {
        var x = input.detach();
        return x.sub(x.mean([0L], keepdim: true)).contiguous();
    }

    /// <summary>All rows at one point: every distance is 0, the bandwidth is undefined, and the MMD
    /// is 0 with a zero gradient (its limit as the rows meet). Called inside the caller's scope.</summary>
    internal static (Tensor Loss, Tensor Gradient) Coincident(Tensor input) =>
        (zeros([], dtype: input.dtype, device: input.device).MoveToOuterDisposeScope(), zeros_like(input).MoveToOuterDisposeScope());

    /// <summary>The kernel's bandwidths and the slope coefficients −1 / (b 2^k), widest first.</summary>
    internal static (double Widest, double[] Slopes) Bandwidths(double sumOfDistances, long n)
    {
        int kernels = MultiKernelMmd.Kernels;
        double bandwidth = sumOfDistances / (n * n - n) / Math.Pow(2, kernels / 2);
        var slopes = Enumerable.Range(0, kernels).Select(m => -1 / (bandwidth * Math.Pow(2, kernels - 1 - m))).ToArray();
        return (bandwidth * Math.Pow(2, kernels - 1), slopes);
    }

    internal static (Tensor Loss, Tensor Gradient) ComputeWithTensors(Tensor input, long ns)
    {
        long n = input.shape[0], nt = n - ns;
        int kernels = MultiKernelMmd.Kernels;
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var x = Centred(input);
        var norms = x.mul(x).sum(1, keepdim: true);
        var d = x.matmul(x.t()).mul_(Scalars.Of(-2.0)).add_(norms, Scalars.One).add_(norms.t(), Scalars.One).clamp_min_(Scalars.Of(0.0));
        double sumOfDistances = d.sum().to(float64).item<double>();
        if (!(sumOfDistances > 0)) return Coincident(input);
        var (widest, slopes) = Bandwidths(sumOfDistances, n);
        var slopeScalars = slopes.Select(s => s.ToScalar()).ToArray();
        using var scale = (-1 / widest).ToScalar();
        var power = d.mul_(scale).clamp_min_(Scalars.Of(MinExponent)).exp_();
        var kernel = power.clone();
        var slope = power.mul(slopeScalars[0]);
        for (int m = 1; m < kernels; m++)
        {
            power.clamp_min_(Scalars.Of(MinFactor)).pow_(Scalars.Of(2L));
            kernel.add_(power, Scalars.One);
            slope.add_(power, alpha: slopeScalars[m]);
        }
        foreach (var s in slopeScalars) s.Dispose();
        using var sourceWeight = (1.0 / ns).ToScalar();
        using var targetWeight = (-1.0 / nt).ToScalar();
        var a = cat([full(ns, sourceWeight, dtype: x.dtype, device: x.device), full(nt, targetWeight, dtype: x.dtype, device: x.device)]);
        var loss = a.dot(kernel.mv(a));
        var g = slope.mul_(a.unsqueeze(1)).mul_(a.unsqueeze(0));
        var gradient = g.sum(1, keepdim: true).mul(x).sub_(g.matmul(x)).mul_(Scalars.Of(4.0));
        return (loss.MoveToOuterDisposeScope(), gradient.MoveToOuterDisposeScope());
    }
}
