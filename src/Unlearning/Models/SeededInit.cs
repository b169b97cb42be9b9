using static TorchSharp.torch;
using Unlearning.Util;

namespace Unlearning.Models;

/// <summary>Weight initialisers drawing from a cell-owned generator (torch.nn.init uses the
/// process-wide one, which two cells in one process would share).</summary>
public static class SeededInit
{
    public static Tensor Normal(long[] shape, double std, Generator generator) =>
        normal(0, std, shape, generator: generator);

    /// <summary>U(-b, b), b = gain · sqrt(6 / (fan_in + fan_out)) (Glorot / Xavier uniform).</summary>
    public static Tensor XavierUniform(long fanOut, long fanIn, Generator generator, double gain = 1.0) =>
        Uniform([fanOut, fanIn], gain * Math.Sqrt(6.0 / (fanIn + fanOut)), generator);

    /// <summary>torch.nn.init.kaiming_uniform_ with a = 1 and the sigmoid gain (1): U(-b, b), b = sqrt(3 / fan_in).</summary>
    public static Tensor KaimingUniformSigmoid(long fanOut, long fanIn, Generator generator) =>
        Uniform([fanOut, fanIn], Math.Sqrt(3.0 / fanIn), generator);

    public static Tensor Uniform(long[] shape, double bound, Generator generator) =>
        rand(shape, generator: generator).mul_(Scalars.Of(2 * bound)).sub_(Scalars.Of(bound));
}
