using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;

namespace Unlearning.Attack;

/// <summary>Gradient-boosted trees from ML.NET FastTree (binary classification; one-vs-rest for more
/// groups), seeded per fit.</summary>
public sealed class TreeAttacker(TreeAttackerOptions? options = null) : IAttacker
{
    public TreeAttackerOptions Options { get; } = options ?? new TreeAttackerOptions();

    public string Name => "Tree";

    /// <summary>
    /// Returns FastTree's probability, which is sigmoid(score) (a fixed calibrator, nothing fitted),
    /// so probability > 0.5 exactly when the score is positive, as XGBoost's predict decides.
    /// </summary>
    /// <summary>
    /// Returns FastTree's probability, which is sigmoid(score) (a fixed calibrator, nothing fitted),
    /// so probability > 0.5 exactly when the score is positive, as XGBoost's predict decides.
    /// </summary>
    public double[] FitPredict(float[] xTrain, int[] yTrain, float[] xTest, int dim, int seed)
    {
        var (trainRows, testRows) = AttackerInput.Validate(xTrain, yTrain, xTest, dim);
        if (testRows == 0) return [];
        var ml = new MLContext(seed);
        var trainer = ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            LabelColumnName = MlNetRows.Label,
            FeatureColumnName = MlNetRows.Features,
            NumberOfLeaves = Options.NumberOfLeaves,
            NumberOfTrees = Options.NumberOfTrees,
            LearningRate = Options.LearningRate,
            MinimumExampleCountPerLeaf = Options.MinimumExampleCountPerLeaf,
            NumberOfThreads = Options.NumberOfThreads,
        });
        var model = trainer.Fit(MlNetRows.Load(ml, xTrain, yTrain, trainRows, dim));
        return MlNetRows.Probabilities(model.Transform(MlNetRows.Load(ml, xTest, null, testRows, dim)));
    }

    /// <summary>One-vs-rest (<see cref="OneVersusRest"/>): one binary FastTree per group.</summary>
    public double[] FitPredictGroups(float[] xTrain, int[] yTrain, float[] xTest, int dim, int groups, int seed) =>
        OneVersusRest.Probabilities(this, xTrain, yTrain, xTest, dim, groups, seed);
}
