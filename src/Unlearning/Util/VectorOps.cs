using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Unlearning.Util;

/// <summary>Vectorised float kernels of the CPU paths (sparse propagation, fused MMD). Compiled
/// optimised from the first call: tiered compilation left them in slow unoptimised code for
/// thousands of calls, which is most of an unlearning run.</summary>
public static class VectorOps
{
    private const MethodImplOptions Hot = MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization;

    [MethodImpl(Hot)]
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int i = 0;
        float sum = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            var acc = Vector<float>.Zero;
            for (int k = 0; k < va.Length; k++) acc = Vector.FusedMultiplyAdd(va[k], vb[k], acc);
            sum = Vector.Sum(acc);
            i = va.Length * Vector<float>.Count;
        }
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>target += a · source.</summary>
    [MethodImpl(Hot)]
    public static void AddScaled(Span<float> target, ReadOnlySpan<float> source, float a)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var t = MemoryMarshal.Cast<float, Vector<float>>(target);
            var s = MemoryMarshal.Cast<float, Vector<float>>(source);
            var va = new Vector<float>(a);
            for (int k = 0; k < t.Length; k++) t[k] = Vector.FusedMultiplyAdd(va, s[k], t[k]);
            i = t.Length * Vector<float>.Count;
        }
        for (; i < target.Length; i++) target[i] += a * source[i];
    }

    /// <summary>target += source.</summary>
    [MethodImpl(Hot)]
    public static void Add(Span<float> target, ReadOnlySpan<float> source)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var t = MemoryMarshal.Cast<float, Vector<float>>(target);
            var s = MemoryMarshal.Cast<float, Vector<float>>(source);
            for (int k = 0; k < t.Length; k++) t[k] += s[k];
            i = t.Length * Vector<float>.Count;
        }
        for (; i < target.Length; i++) target[i] += source[i];
    }

    [MethodImpl(Hot)]
    public static void Scale(Span<float> target, float factor)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var t = MemoryMarshal.Cast<float, Vector<float>>(target);
            var f = new Vector<float>(factor);
            for (int k = 0; k < t.Length; k++) t[k] *= f;
            i = t.Length * Vector<float>.Count;
        }
        for (; i < target.Length; i++) target[i] *= factor;
    }
}
