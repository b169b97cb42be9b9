using static TorchSharp.torch;

namespace Unlearning.Losses;

/// <summary>
/// Multi-kernel Gaussian MMD (protocol.md section 3): with X = [S; T] (n rows) and D the pairwise
/// squared distances, b = sum(D) / (n² − n) / 2^(kernels div 2) (no gradient),
/// K = Σ_{i&lt;kernels} exp(−D / (b · 2^i)), MMD = mean(K_ss) + mean(K_tt) − mean(K_st) − mean(K_ts).
/// </summary>
/// <remarks>Computed as aᵀ K a with a = (1/|S|, …, −1/|T|, …), and with the kernel widths doubling,
/// exp(−D / (b 2^i)) = x^(2^(kernels−1−i)) for x = exp(−D / (b 2^(kernels−1))): one exponential and
/// repeated squaring instead of five exponentials.</remarks>
public static class MultiKernelMmd
{
    public const int Kernels = 5;

    public static Tensor Compute(Tensor source, Tensor target)
    {
        using var scope = NewDisposeScope();
        long ns = source.shape[0], nt = target.shape[0], n = ns + nt;
        var total = cat([source, target], 0);
        var squaredNorms = total.mul(total).sum(1, keepdim: true);
        // ||x||² + ||y||² − 2 x·y, clamped: rounding can make it slightly negative.
        var distances = squaredNorms.add(squaredNorms.t()).sub(total.matmul(total.t()).mul(2)).clamp_min(0);
        double bandwidth;
        using (no_grad())
            bandwidth = distances.sum().to(float64).item<double>() / (n * n - n) / Math.Pow(2, Kernels / 2);
        var widest = distances.div(-bandwidth * Math.Pow(2, Kernels - 1)).exp();
        var power = widest;
        var kernel = widest;
        for (int i = 1; i < Kernels; i++)
        {
            power = power.mul(power);
            kernel = kernel.add(power);
        }
        var weights = cat([full(ns, 1.0 / ns, dtype: total.dtype, device: total.device), full(nt, -1.0 / nt, dtype: total.dtype, device: total.device)]);
        return weights.dot(kernel.mv(weights)).MoveToOuterDisposeScope();
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
            sum = sum is null ? mmd : sum.add(mmd);
        }
        return (sum ?? zeros(1, device: embeddings.device).squeeze()).MoveToOuterDisposeScope();
    }
}
