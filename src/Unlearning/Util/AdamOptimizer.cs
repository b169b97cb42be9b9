using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Unlearning.Util;

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
