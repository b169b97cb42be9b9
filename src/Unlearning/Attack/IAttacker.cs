namespace Unlearning.Attack;

/// <summary>A binary attribute-inference attacker: trained on one fold, scores another.</summary>
public interface IAttacker
{
    /// <summary>Short name used in reports ("MLP", "Tree").</summary>
    string Name { get; }

    /// <summary>
    /// Fits on <paramref name="xTrain"/> (row-major, <paramref name="dim"/> columns) with 0/1 labels
    /// and returns P(positive) for every row of <paramref name="xTest"/>. Deterministic for a seed.
    /// </summary>
    double[] FitPredict(float[] xTrain, int[] yTrain, float[] xTest, int dim, int seed);
}
