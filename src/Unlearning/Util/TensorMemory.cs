using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Unlearning.Util;

/// <summary>Moves float data between managed arrays and CPU tensors.</summary>
public static class TensorMemory
{
    /// <summary>The values of a contiguous float32 CPU tensor, in place (no copy).</summary>
    public static Span<float> AsFloats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);

    /// <summary>A float32 CPU tensor holding a copy of <paramref name="values"/>. Unlike
    /// <c>torch.tensor(array)</c>, whose memory is the managed array (aligned as the GC placed it),
    /// the copy lives in torch's 64-byte-aligned memory, so vectorised kernels round the same way
    /// in every run.</summary>
    public static Tensor Copy(ReadOnlySpan<float> values, params long[] shape)
    {
        var t = empty(shape, dtype: ScalarType.Float32);
        values.CopyTo(AsFloats(t));
        return t;
    }
}
