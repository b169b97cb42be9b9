using System.Numerics;
using System.Runtime.CompilerServices;
using TorchSharp;
using Unlearning.Util;
using static TorchSharp.torch;

namespace Unlearning.Losses;

/// <summary>
/// <see cref="MmdWithGradient"/> on the CPU: the Gram matrix, G X and the one exponential by torch,
/// the rest (exponents, the other kernels, loss, G and its row sums) in two vectorised passes over
/// the same buffer instead of about thirty tensor operations with their own buffers. Up to
/// <see cref="WholeMaxRows"/> users (ML-100K, ML-1M) the n x n matrix is one buffer. Beyond (LFM-2B's
/// 20k users would need 1.6 GB per n x n buffer) it is taken in square tiles of
/// <see cref="TileRows"/>, and only the tiles on and above the diagonal: K and G are symmetric, so
/// tile (I, J) also stands for (J, I), its column sums for (J, I)'s row sums and Gᵀ X_I for its
/// product (about half the work). The two passes run over rows in parallel on torch's thread count;
/// each row's results have their own slot and are summed in row order, so the numbers do not
/// depend on the thread count.
/// </summary>
internal static class FusedCpuMmd
{
    public const int WholeMaxRows = 8192;
    public const int TileRows = 1024;

    public static (Tensor Loss, Tensor Gradient) Compute(Tensor input, long ns, int wholeMaxRows = WholeMaxRows, int tileRows = TileRows)
    {
        int n = (int)input.shape[0], dim = (int)input.shape[1];
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var x = MmdWithGradient.Centred(input);
        var xs = TensorMemory.AsFloats(x);
        var norms = new float[n];
        for (int i = 0; i < n; i++) norms[i] = VectorOps.Dot(xs.Slice(i * dim, dim), xs.Slice(i * dim, dim));
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = i < ns ? 1f / ns : -1f / (n - ns);

        // Σ_ij ||x_i − x_j||² = 2n Σ_i ||x_i||² − 2 ||Σ_i x_i||²: the bandwidth before any distance,
        // so one pass writes each exponent −D_ij / (b 2^(k−1)) straight over the Gram matrix.
        double sumOfDistances = SumOfSquaredDistances(xs, norms, dim);
        if (!(sumOfDistances > 0)) return MmdWithGradient.Coincident(input);
        var (widest, slopes) = MmdWithGradient.Bandwidths(sumOfDistances, n);
        float scale = (float)(-1 / widest);
        int tile = n <= wholeMaxRows ? n : Math.Max(1, tileRows);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, torch.get_num_threads()) };
        var rowSums = new float[n];
        var gx = zeros(n, dim, dtype: ScalarType.Float32);
        double loss = 0;
        for (int first = 0; first < n; first += tile)
        {
            int rows = Math.Min(tile, n - first);
            var block = rows == n ? x : x.narrow(0, first, rows);
            for (int firstColumn = first; firstColumn < n; firstColumn += tile)
            {
                using var pair = NewDisposeScope();
                int columns = Math.Min(tile, n - firstColumn);
                var other = columns == n ? x : x.narrow(0, firstColumn, columns);
                var gram = block.matmul(other.t());
                var kernelDotA = new double[rows];
                var rowSum = new float[rows];
                Passes(gram, first, rows, firstColumn, columns, norms, a, scale, slopes, kernelDotA, rowSum, options);
                bool diagonal = firstColumn == first;
                for (int r = 0; r < rows; r++)
                {
                    loss += (diagonal ? 1 : 2) * a[first + r] * kernelDotA[r];
                    rowSums[first + r] += rowSum[r];
                }
                // dMMD/dx_i = 4 (Σ_j G_ij x_i − Σ_j G_ij x_j), G now in the buffer.
                gx.narrow(0, first, rows).add_(gram.matmul(other), Scalars.One);
                if (diagonal) continue;
                var columnSums = TensorMemory.AsFloats(gram.sum(dim: 0L));
                for (int c = 0; c < columns; c++) rowSums[firstColumn + c] += columnSums[c];
                gx.narrow(0, firstColumn, columns).add_(gram.t().matmul(block), Scalars.One);
            }
        }
        var gradient = TensorMemory.Copy(rowSums, n, 1).mul(x).sub_(gx).mul_(Scalars.Of(4.0));
        return (tensor(loss, dtype: ScalarType.Float32).MoveToOuterDisposeScope(), gradient.MoveToOuterDisposeScope());
    }

    /// <summary>Over a tile of the Gram matrix: the exponents, one exponential (torch), then each
    /// row's Σ_j a_j K_ij and the row replaced by G with its sum.</summary>
    private static void Passes(Tensor gram, int first, int rows, int firstColumn, int columns, float[] norms, float[] a,
        float scale, double[] slopes, double[] kernelDotA, float[] rowSum, ParallelOptions options)
    {
        unsafe
        {
            // The buffer is torch's memory (not moved by the GC); rows are disjoint, so the workers never share a float.
            fixed (float* data = TensorMemory.AsFloats(gram))
            {
                var at = (nint)data;
                Parallel.For(0, rows, options, r => Exponents(new Span<float>((float*)at + (long)r * columns, columns), norms.AsSpan(firstColumn, columns), norms[first + r], scale));
            }
            gram.exp_();
            fixed (float* data = TensorMemory.AsFloats(gram))
            {
                var at = (nint)data;
                Parallel.For(0, rows, options, r =>
                    (kernelDotA[r], rowSum[r]) = KernelRow(new Span<float>((float*)at + (long)r * columns, columns), a.AsSpan(firstColumn, columns), a[first + r], slopes));
            }
        }
    }

    private static double SumOfSquaredDistances(ReadOnlySpan<float> xs, ReadOnlySpan<float> norms, int dim)
    {
        int n = norms.Length;
        double sumOfNorms = 0;
        foreach (var v in norms) sumOfNorms += v;
        var column = new double[dim];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < dim; k++) column[k] += xs[i * dim + k];
        double squaredSum = column.Sum(c => c * c);
        return Math.Max(0, 2 * n * sumOfNorms - 2 * squaredSum);
    }

    /// <summary>Turns a row of the Gram matrix into the widest kernel's exponents
    /// max(−40, −max(0, D_ij) / (b 2^(k−1))).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Exponents(Span<float> row, ReadOnlySpan<float> norms, float normI, float scale)
    {
        int j = 0, w = Vector<float>.Count;
        var vi = new Vector<float>(normI);
        var minus2 = new Vector<float>(-2f);
        var vscale = new Vector<float>(scale);
        var floor = new Vector<float>((float)MmdWithGradient.MinExponent);
        for (; j + w <= row.Length; j += w)
        {
            var d = Vector.Max(Vector.FusedMultiplyAdd(minus2, new Vector<float>(row.Slice(j)), vi + new Vector<float>(norms.Slice(j))), Vector<float>.Zero);
            Vector.Max(d * vscale, floor).CopyTo(row.Slice(j));
        }
        for (; j < row.Length; j++)
            row[j] = MathF.Max(MathF.Max(0, normI + norms[j] - 2 * row[j]) * scale, (float)MmdWithGradient.MinExponent);
    }

    /// <summary>For a row of the widest kernel's factors x_ij = exp(−D_ij / (b 2^(k−1))): Σ_j a_j K_ij,
    /// and the row replaced by G_ij = a_i a_j Σ_k slope_k x_ij^(2^(k−1−m)), with its sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double KernelDotA, float RowSum) KernelRow(Span<float> row, ReadOnlySpan<float> a, float ai, double[] slopes)
    {
        int kernels = slopes.Length, j = 0, w = Vector<float>.Count;
        var minFactor = new Vector<float>((float)MmdWithGradient.MinFactor);
        var vs = slopes.Select(s => new Vector<float>((float)s)).ToArray();
        var vai = new Vector<float>(ai);
        Vector<float> kernelAcc = Vector<float>.Zero, gradAcc = Vector<float>.Zero;
        for (; j + w <= row.Length; j += w)
        {
            var power = new Vector<float>(row.Slice(j));
            var kernel = power;
            var slope = power * vs[0];
            for (int m = 1; m < kernels; m++)
            {
                power = Vector.Max(power, minFactor);
                power *= power;
                kernel += power;
                slope = Vector.FusedMultiplyAdd(power, vs[m], slope);
            }
            var aj = new Vector<float>(a.Slice(j));
            kernelAcc = Vector.FusedMultiplyAdd(kernel, aj, kernelAcc);
            var g = slope * aj * vai;
            g.CopyTo(row.Slice(j));
            gradAcc += g;
        }
        double kernelDotA = Vector.Sum(kernelAcc);
        float rowSum = Vector.Sum(gradAcc);
        for (; j < row.Length; j++)
        {
            float power = row[j];
            float kernel = power, slope = power * (float)slopes[0];
            for (int m = 1; m < kernels; m++)
            {
                power = MathF.Max(power, (float)MmdWithGradient.MinFactor);
                power *= power;
                kernel += power;
                slope += power * (float)slopes[m];
            }
            kernelDotA += kernel * a[j];
            row[j] = slope * a[j] * ai;
            rowSum += row[j];
        }
        return (kernelDotA, rowSum);
    }

}
