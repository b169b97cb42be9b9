using Unlearning.Util;

namespace Unlearning.Attack;

/// <summary>One-vs-rest, as ML.NET's <c>OneVersusAll</c> and scikit-learn's <c>OneVsRestClassifier</c>:
/// one binary fit per group (group against the rest, seeded from the seed and the group), each row's
/// probabilities divided by their sum.</summary>
internal static class OneVersusRest
{
    public static double[] Probabilities(IAttacker binary, float[] xTrain, int[] yTrain, float[] xTest, int dim, int groups, int seed)
    {
        var (_, testRows) = AttackerInput.Validate(xTrain, yTrain, xTest, dim, groups);
        var probabilities = new double[testRows * groups];
        for (int j = 0; j < groups; j++)
        {
            int group = j;
            var ofGroup = binary.FitPredict(xTrain, yTrain.Select(y => y == group ? 1 : 0).ToArray(), xTest, dim, DerivedSeed.Of(seed, group));
            for (int i = 0; i < testRows; i++) probabilities[i * groups + j] = ofGroup[i];
        }
        for (int i = 0; i < testRows; i++)
        {
            var row = probabilities.AsSpan(i * groups, groups);
            double sum = 0;
            foreach (var p in row) sum += p;
            if (sum > 0) foreach (ref var p in row) p /= sum;
        }
        return probabilities;
    }
}
