namespace Unlearning.Tests.Attack;

internal static class SyntheticEmbeddings
{
    /// <summary>
    /// Two groups of standard-normal rows; group 1 (the positive) has every mean shifted by <paramref name="shift"/>.
    /// shift 0 gives features independent of the label.
    /// </summary>
    public static (float[] X, int[] Labels) Gaussian(int rows, int dim, double shift, int seed, double positiveShare = 0.5)
    {
        var rng = new Random(seed);
        var labels = new int[rows];
        var x = new float[rows * dim];
        for (int i = 0; i < rows; i++)
        {
            labels[i] = rng.NextDouble() < positiveShare ? 1 : 0;
            for (int j = 0; j < dim; j++) x[i * dim + j] = (float)(Normal(rng) + labels[i] * shift);
        }
        return (x, labels);
    }

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
