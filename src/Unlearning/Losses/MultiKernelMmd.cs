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
        return loss.add(attached.sub(attached.detach())).MoveToOuterDisposeScope();
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
    private const double MinExponent = -40;
    private const double MinFactor = 1.1e-19;

    public static (Tensor Loss, Tensor Gradient) Compute(Tensor input, long ns)
    {
        long n = input.shape[0], nt = n - ns;
        int kernels = MultiKernelMmd.Kernels;
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var x = input.detach();
        var norms = x.mul(x).sum(1, keepdim: true);
        var d = x.matmul(x.t()).mul_(-2).add_(norms).add_(norms.t()).clamp_min_(0);
        double bandwidth = d.sum().to(float64).item<double>() / (n * n - n) / Math.Pow(2, kernels / 2);
        double widest = bandwidth * Math.Pow(2, kernels - 1);
        var power = d.mul_(-1 / widest).clamp_min_(MinExponent).exp_();
        var kernel = power.clone();
        var slope = power.mul(-1 / widest);
        for (int m = 1; m < kernels; m++)
        {
            power.clamp_min_(MinFactor).pow_(2);
            kernel.add_(power);
            slope.add_(power, alpha: -1 / (bandwidth * Math.Pow(2, kernels - 1 - m)));
        }
        var a = cat([full(ns, 1.0 / ns, dtype: x.dtype, device: x.device), full(nt, -1.0 / nt, dtype: x.dtype, device: x.device)]);
        var loss = a.dot(kernel.mv(a));
        var g = slope.mul_(a.unsqueeze(1)).mul_(a.unsqueeze(0));
        var gradient = g.sum(1, keepdim: true).mul(x).sub_(g.matmul(x)).mul_(4);
        return (loss.MoveToOuterDisposeScope(), gradient.MoveToOuterDisposeScope());
    }
}
