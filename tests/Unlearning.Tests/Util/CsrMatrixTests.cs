using Unlearning.Util;

namespace Unlearning.Tests.Util;

public class CsrMatrixTests
{
    [Theory]
    [InlineData(101)]
    [InlineData(75)]
    [InlineData(16)]
    [InlineData(5)]
    public void ProductEqualsDenseProductIncludingDuplicatesAndAccumulation(int dim)
    {
        var rng = new Random(3);
        int rows = 7, cols = 9, nnz = 25;
        var r = Enumerable.Range(0, nnz).Select(_ => rng.Next(rows)).ToArray();
        var c = Enumerable.Range(0, nnz).Select(_ => rng.Next(cols)).ToArray();
        var v = Enumerable.Range(0, nnz).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var dense = new double[rows, cols];
        for (int e = 0; e < nnz; e++) dense[r[e], c[e]] += v[e];
        var x = Enumerable.Range(0, cols * dim).Select(_ => (float)rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, rows * dim).Select(_ => 1f).ToArray();

        CsrMatrix.FromTriplets(rows, cols, r, c, v).Multiply(x, y, dim, accumulate: true);

        for (int i = 0; i < rows; i++)
            for (int k = 0; k < dim; k++)
            {
                double expected = 1;
                for (int j = 0; j < cols; j++) expected += dense[i, j] * x[j * dim + k];
                Assert.Equal(expected, y[i * dim + k], 1e-5);
            }
    }

    /// <summary>The tensor product over blocks of rows in parallel gives the sequential product's bits,
    /// whatever the block size and the number of workers.</summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 4)]
    [InlineData(64, 4)]
    public void ParallelProductEqualsTheSequentialOne(int rowsPerBlock, int workers)
    {
        var rng = new Random(11);
        int rows = 41, cols = 37, nnz = 300, dim = 70;
        var r = Enumerable.Range(0, nnz).Select(_ => rng.Next(rows)).ToArray();
        var c = Enumerable.Range(0, nnz).Select(_ => rng.Next(cols)).ToArray();
        var v = Enumerable.Range(0, nnz).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var m = CsrMatrix.FromTriplets(rows, cols, r, c, v);
        var x = Enumerable.Range(0, cols * dim).Select(_ => (float)rng.NextDouble()).ToArray();
        var expected = new float[rows * dim];
        m.Multiply(x, expected, dim);

        using var xt = TensorMemory.Copy(x, cols, dim);
        using var yt = TorchSharp.torch.full(rows, dim, 7f);
        m.Multiply(xt, yt, new ParallelOptions { MaxDegreeOfParallelism = workers }, rowsPerBlock);

        Assert.Equal(expected, TensorMemory.AsFloats(yt).ToArray());
    }

    [Fact]
    public void ShapeMismatchNamesTheShapes()
    {
        var m = CsrMatrix.FromTriplets(2, 3, [0], [1], [1f]);
        var error = Assert.Throws<ArgumentException>(() => m.Multiply(new float[5], new float[4], 2));
        Assert.Contains("2 x 3", error.Message);
        var outside = Assert.Throws<ArgumentException>(() => CsrMatrix.FromTriplets(2, 3, [0], [3], [1f]));
        Assert.Contains("column index 3", outside.Message);
    }
}
