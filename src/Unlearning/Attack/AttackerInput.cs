namespace Unlearning.Attack;

internal static class AttackerInput
{
    /// <summary>Checks the shapes shared by every <see cref="IAttacker.FitPredict"/>; returns (train rows, test rows).</summary>
    public static (int Train, int Test) Validate(float[] xTrain, int[] yTrain, float[] xTest, int dim) =>
        Validate(xTrain, yTrain, xTest, dim, groups: 2);

    /// <summary>As above for labels 0..groups-1, every one of them present.</summary>
    public static (int Train, int Test) Validate(float[] xTrain, int[] yTrain, float[] xTest, int dim, int groups)
    {
        ArgumentNullException.ThrowIfNull(xTrain);
        ArgumentNullException.ThrowIfNull(yTrain);
        ArgumentNullException.ThrowIfNull(xTest);
        if (dim <= 0) throw new ArgumentOutOfRangeException(nameof(dim), dim, "dim must be positive.");
        if (groups < 2) throw new ArgumentOutOfRangeException(nameof(groups), groups, "Need at least two groups.");
        if (xTrain.Length != yTrain.Length * dim)
            throw new ArgumentException($"xTrain has {xTrain.Length} values, expected {yTrain.Length} rows x {dim}.", nameof(xTrain));
        if (xTest.Length % dim != 0)
            throw new ArgumentException($"xTest has {xTest.Length} values, not a multiple of dim {dim}.", nameof(xTest));
        if (yTrain.Any(y => y < 0 || y >= groups))
            throw new ArgumentException(groups == 2 ? "yTrain must hold 0/1 labels." : $"yTrain must hold labels 0..{groups - 1}.", nameof(yTrain));
        if (yTrain.Distinct().Count() != groups)
            throw new ArgumentException(groups == 2 ? "yTrain must hold both classes." : $"yTrain must hold all {groups} groups.", nameof(yTrain));
        return (yTrain.Length, xTest.Length / dim);
    }
}
