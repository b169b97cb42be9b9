using System.Collections.Concurrent;
using TorchSharp;

namespace Unlearning.Util;

/// <summary>
/// Numbers passed to torch. TorchSharp wraps each number in a native Scalar that its finalizer
/// frees; a temporary Scalar becomes unreachable as soon as its handle is read, so a collection
/// during the native call can free it while libtorch still reads it (seen here as "Expected false
/// to be true ... toFloat" after about 140,000 LightGCN training steps). Even <c>a.add(b)</c> creates
/// one (alpha = 1). So the engine passes every number explicitly: constants through this cache
/// (static, never collected), per-call values as <c>using</c> locals that live until the call returns.
/// </summary>
public static class Scalars
{
    private static readonly ConcurrentDictionary<double, Scalar> Reals = new();
    private static readonly ConcurrentDictionary<long, Scalar> Integers = new();

    /// <summary>1 as an integer Scalar: the alpha of additions and subtractions of any dtype.</summary>
    public static Scalar One { get; } = Of(1L);

    /// <summary>A cached Scalar for a constant (options, margins, clamps): never freed.</summary>
    public static Scalar Of(double value) => Reals.GetOrAdd(value, v => v.ToScalar());

    public static Scalar Of(long value) => Integers.GetOrAdd(value, v => v.ToScalar());
}
