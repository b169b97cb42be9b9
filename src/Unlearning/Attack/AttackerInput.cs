namespace Unlearning.Attack;

internal static class AttackerInput
{
    /// <summary>Checks the shapes shared by every <see cref="IAttacker.FitPredict"/>; returns (train rows, test rows).</summary>
    public static (int Train, int Test) Validate(float[] xTrain, int[] yTrain, float[] xTest, int dim)
    {
        ArgumentNullException.ThrowIfNull(xTrain);
        ArgumentNullException.ThrowIfNull(yTrain);
        ArgumentNullException.ThrowIfNull(xTest);
        if (dim <= 0) throw new ArgumentOutOfRangeException(nameof(dim), dim, "dim must be positive.");
        if (xTrain.Length != yTrain.Length * dim)
            throw new ArgumentException($"xTrain has {xTrain.Length} values, expected {yTrain.Length} rows x {dim}.", nameof(xTrain));
        if (xTest.Length % dim != 0)
            throw new ArgumentException($"xTest has {xTest.Length} values, not a multiple of dim {dim}.", nameof(xTest));
        if (yTrain.Any(y => y is not (0 or 1)))
            throw new ArgumentException("yTrain must hold 0/1 labels.", nameof(yTrain));
        if (!yTrain.Contains(0) || !yTrain.Contains(1))
            throw new ArgumentException("yTrain must hold both classes.", nameof(yTrain));
        return (yTrain.Length, xTest.Length / dim);
    }
}
