namespace Unlearning.Attack;

/// <summary>An attribute-inference attacker: trained on one fold, scores another.</summary>
public interface IAttacker
{
    /// <summary>Short name used in reports ("MLP", "Tree").</summary>
    string Name { get; }

    /// <summary>
    /// Fits on <paramref name="xTrain"/> (row-major, <paramref name="dim"/> columns) with 0/1 labels
    /// and returns P(positive) for every row of <paramref name="xTest"/>. Deterministic for a seed.
    /// </summary>
    double[] FitPredict(float[] xTrain, int[] yTrain, float[] xTest, int dim, int seed);

    /// <summary>
    /// Fits on labels 0..<paramref name="groups"/>-1 and returns, row-major, each test row's
    /// probability of each group (rows x groups). Deterministic for a seed.
    /// </summary>
    double[] FitPredictGroups(float[] xTrain, int[] yTrain, float[] xTest, int dim, int groups, int seed);
}
