using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace Unlearning.Util;

/// <summary>
/// A sparse float matrix in compressed sparse row form, multiplied by dense row-major matrices on
/// the CPU with vectorised row updates. TorchSharp's sparse matmul costs milliseconds per product at
/// ML-100K size on this CPU; this does the same product in a fraction of that.
/// </summary>
public sealed class CsrMatrix
{
    private readonly int[] _rowStart;
    private readonly int[] _columns;
    private readonly float[] _values;

    public CsrMatrix(int rows, int columns, int[] rowStart, int[] columnIndices, float[] values)
    {
        if (rowStart.Length != rows + 1 || rowStart[rows] != columnIndices.Length || columnIndices.Length != values.Length)
            throw new ArgumentException($"inconsistent CSR arrays: {rows} rows, {rowStart.Length} row starts, {columnIndices.Length} column indices, {values.Length} values");
        // Multiply reads x without bounds checks: every index must be a column.
        foreach (var c in columnIndices)
            if ((uint)c >= (uint)columns) throw new ArgumentException($"column index {c} outside 0..{columns - 1}");
        Rows = rows; Columns = columns;
        _rowStart = rowStart; _columns = columnIndices; _values = values;
    }

    public int Rows { get; }
    public int Columns { get; }

    /// <summary>Builds the matrix from (row, column, value) triplets in any order; duplicates are summed
    /// by the product (they stay separate entries).</summary>
    public static CsrMatrix FromTriplets(int rows, int columns, ReadOnlySpan<int> rowOf, ReadOnlySpan<int> columnOf, ReadOnlySpan<float> valueOf)
    {
        var rowStart = new int[rows + 1];
        foreach (var r in rowOf) rowStart[r + 1]++;
        for (int r = 0; r < rows; r++) rowStart[r + 1] += rowStart[r];
        var next = rowStart[..^1].ToArray();
        var cols = new int[rowOf.Length];
        var vals = new float[rowOf.Length];
        for (int e = 0; e < rowOf.Length; e++)
        {
            int at = next[rowOf[e]]++;
            cols[at] = columnOf[e];
            vals[at] = valueOf[e];
        }
        return new CsrMatrix(rows, columns, rowStart, cols, vals);
    }

    /// <summary>y = A x (or y += A x when <paramref name="accumulate"/>), x: [Columns, dim], y: [Rows, dim], row-major.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Multiply(ReadOnlySpan<float> x, Span<float> y, int dim, bool accumulate = false)
    {
        if (x.Length != (long)Columns * dim || y.Length != (long)Rows * dim)
            throw new ArgumentException($"shape mismatch: A is {Rows} x {Columns}, x has {x.Length} values, y {y.Length}, dim {dim}");
        MultiplyRows(x, y, dim, 0, Rows, accumulate);
    }

    /// <summary>y = A x for contiguous float32 CPU tensors x [Columns, dim] and y [Rows, dim], over
    /// blocks of rows in parallel (at most <paramref name="options"/>' degree). Each row is summed in
    /// the same order whatever the thread count, so the result does not depend on it.</summary>
    public unsafe void Multiply(Tensor x, Tensor y, ParallelOptions options, int rowsPerBlock = 1024)
    {
        int dim = (int)y.shape[^1];
        var xValues = TensorMemory.AsFloats(x);
        var yValues = TensorMemory.AsFloats(y);
        if (xValues.Length != (long)Columns * dim || yValues.Length != (long)Rows * dim)
            throw new ArgumentException($"shape mismatch: A is {Rows} x {Columns}, x has {xValues.Length} values, y {yValues.Length}, dim {dim}");
        // Torch's memory: the GC never moves it, so the pointers stay valid in the workers.
        fixed (float* xp = xValues, yp = yValues)
        {
            nint xs = (nint)xp, ys = (nint)yp;
            int xLength = xValues.Length, yLength = yValues.Length;
            int blocks = (Rows + rowsPerBlock - 1) / rowsPerBlock;
            Parallel.For(0, blocks, options, b =>
            {
                int first = b * rowsPerBlock;
                MultiplyRows(new ReadOnlySpan<float>((float*)xs, xLength), new Span<float>((float*)ys, yLength),
                    dim, first, Math.Min(Rows, first + rowsPerBlock), accumulate: false);
            });
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MultiplyRows(ReadOnlySpan<float> x, Span<float> y, int dim, int firstRow, int endRow, bool accumulate)
    {
        if (!accumulate) y[(firstRow * dim)..(endRow * dim)].Clear();
        int w = Vector<float>.Count;
        int blocks = Vector.IsHardwareAccelerated ? dim / (8 * w) : 0;
        int rest = blocks * 8 * w;
        ref float xs = ref MemoryMarshal.GetReference(x);
        for (int r = firstRow; r < endRow; r++)
        {
            int first = _rowStart[r], end = _rowStart[r + 1];
            var row = y.Slice(r * dim, dim);
            for (int b = 0; b < blocks; b++) AddRows(ref xs, row.Slice(b * 8 * w, 8 * w), first, end, dim, b * 8 * w);
            if (rest == dim) continue;
            var tail = row[rest..];
            for (int e = first; e < end; e++)
                VectorOps.AddScaled(tail, x.Slice(_columns[e] * dim + rest, dim - rest), _values[e]);
        }
    }

    // Eight vectors of an output row stay in registers while the row's entries stream by; columns
    // beyond the last full block go through VectorOps.AddScaled, entry by entry.
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private void AddRows(ref float xs, Span<float> block, int first, int end, int dim, int offset)
    {
        int w = Vector<float>.Count;
        var t = MemoryMarshal.Cast<float, Vector<float>>(block);
        Vector<float> a0 = t[0], a1 = t[1], a2 = t[2], a3 = t[3], a4 = t[4], a5 = t[5], a6 = t[6], a7 = t[7];
        for (int e = first; e < end; e++)
        {
            var v = new Vector<float>(_values[e]);
            ref float s = ref Unsafe.Add(ref xs, _columns[e] * dim + offset);
            a0 = Vector.FusedMultiplyAdd(v, Vector.LoadUnsafe(ref s), a0);
            a1 = Vector.FusedMultiplyAdd(v, Vector.LoadUnsafe(ref s, (nuint)w), a1);
            a2 = Vector.FusedMultiplyAdd(v, Vector.LoadUnsafe(ref s, (nuint)(2 * w)), a2);
            a3 = Vector.FusedMultiplyAdd(v, Vector.LoadUnsafe(ref s, (nuint)(3 * w)), a3);
            a4 = Vector.FusedMultiplyAdd(v, Vector.LoadUnsafe(ref s, (nuint)(4 * w)), a4);
            a5 = Vector.FusedMultiplyAdd(v, Vector.LoadUnsafe(ref s, (nuint)(5 * w)), a5);
            a6 = Vector.FusedMultiplyAdd(v, Vector.LoadUnsafe(ref s, (nuint)(6 * w)), a6);
            a7 = Vector.FusedMultiplyAdd(v, Vector.LoadUnsafe(ref s, (nuint)(7 * w)), a7);
        }
        t[0] = a0; t[1] = a1; t[2] = a2; t[3] = a3; t[4] = a4; t[5] = a5; t[6] = a6; t[7] = a7;
    }
}
