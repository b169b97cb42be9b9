using System.Numerics;
using System.Runtime.CompilerServices;
using TorchSharp;
using Unlearning.Util;
using static TorchSharp.torch;

namespace Unlearning.Losses;

/// <summary>
/// Multi-kernel Gaussian MMD (protocol.md section 3): with X = [S; T] (n rows) and D the pairwise
/// squared distances, b = sum(D) / (n² − n) / 2^(kernels div 2) (no gradient),
/// K = Σ_{i&lt;kernels} exp(−D / (b · 2^i)), MMD = mean(K_ss) + mean(K_tt) − mean(K_st) − mean(K_ts).
/// </summary>
public static class MultiKernelMmd
{
    public const int Kernels = 5;

    public static Tensor Compute(Tensor source, Tensor target)
    {
        using var scope = NewDisposeScope();
        var stacked = cat([source, target], 0);
        var (loss, gradient) = MmdWithGradient.Compute(stacked, source.shape[0]);
        if (!stacked.requires_grad) return loss.MoveToOuterDisposeScope();
        // Attach the analytic gradient: (X·G).sum() − its detached copy is exactly 0 in value and
        // has gradient G with respect to X.
        var attached = stacked.mul(gradient).sum();
        return loss.add(attached.sub(attached.detach()), Scalars.One).MoveToOuterDisposeScope();
    }

    /// <summary>Reference form with five exponentials and four block means (tests only).</summary>
    public static Tensor ComputeDirect(Tensor source, Tensor target)
    {
        using var scope = NewDisposeScope();
        long ns = source.shape[0], n = ns + target.shape[0];
        var total = cat([source, target], 0);
        var distances = cdist(total, total).pow(2);
        double bandwidth = distances.sum().to(float64).item<double>() / (n * n - n) / Math.Pow(2, Kernels / 2);
        Tensor kernel = zeros_like(distances);
        for (int i = 0; i < Kernels; i++) kernel = kernel.add(distances.div(-bandwidth * Math.Pow(2, i)).exp());
        var ss = kernel.narrow(0, 0, ns).narrow(1, 0, ns).mean();
        var tt = kernel.narrow(0, ns, n - ns).narrow(1, ns, n - ns).mean();
        var st = kernel.narrow(0, 0, ns).narrow(1, ns, n - ns).mean();
        var ts = kernel.narrow(0, ns, n - ns).narrow(1, 0, ns).mean();
        return ss.add(tt).sub(st).sub(ts).MoveToOuterDisposeScope();
    }

    /// <summary>Σ_{j ≥ 1} MMD(E[G_j], E[G_0]) over the users of each group.</summary>
    public static Tensor AcrossGroups(Tensor embeddings, IReadOnlyList<Tensor> groupRows)
    {
        using var scope = NewDisposeScope();
        var reference = embeddings.index_select(0, groupRows[0]);
        Tensor? sum = null;
        for (int j = 1; j < groupRows.Count; j++)
        {
            var mmd = Compute(embeddings.index_select(0, groupRows[j]), reference);
            sum = sum is null ? mmd : sum.add(mmd, Scalars.One);
        }
        return (sum ?? zeros(1, device: embeddings.device).squeeze()).MoveToOuterDisposeScope();
    }
}
