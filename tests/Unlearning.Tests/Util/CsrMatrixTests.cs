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
