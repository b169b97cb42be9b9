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

    /// <summary>
    /// <paramref name="groups"/> groups of about equal size, standard-normal rows; group g's mean is
    /// shifted by <paramref name="shift"/> along dimension g alone (needs dim &gt;= groups).
    /// </summary>
    public static (float[] X, int[] Labels) Groups(int rows, int dim, int groups, double shift, int seed)
    {
        var rng = new Random(seed);
        var labels = new int[rows];
        var x = new float[rows * dim];
        for (int i = 0; i < rows; i++)
        {
            labels[i] = rng.Next(groups);
            for (int j = 0; j < dim; j++) x[i * dim + j] = (float)(Normal(rng) + (j == labels[i] ? shift : 0));
        }
        return (x, labels);
    }

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
