using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Unlearning.Util;

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
    public double[] FitPredict(float[] xTrain, int[] yTrain, float[] xTest, int dim, int seed)
    {
        var (trainRows, testRows) = AttackerInput.Validate(xTrain, yTrain, xTest, dim);
        if (testRows == 0) return [];
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dim);

        var trainer = ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            LabelColumnName = nameof(Row.Label),
            FeatureColumnName = nameof(Row.Features),
            NumberOfLeaves = Options.NumberOfLeaves,
            NumberOfTrees = Options.NumberOfTrees,
            LearningRate = Options.LearningRate,
            MinimumExampleCountPerLeaf = Options.MinimumExampleCountPerLeaf,
            NumberOfThreads = Options.NumberOfThreads,
        });
        var model = trainer.Fit(ml.Data.LoadFromEnumerable(Rows(xTrain, yTrain, trainRows, dim), schema));
        var scored = model.Transform(ml.Data.LoadFromEnumerable(Rows(xTest, null, testRows, dim), schema));
        return [.. scored.GetColumn<float>("Probability").Select(p => (double)p)];
    }

    /// <summary>
    /// One-vs-rest, as ML.NET's <c>OneVersusAll</c> and scikit-learn's <c>OneVsRestClassifier</c>: one
    /// binary FastTree per group (group against the rest, seeded from the seed and the group), each
    /// row's probabilities divided by their sum.
    /// </summary>
    public double[] FitPredictGroups(float[] xTrain, int[] yTrain, float[] xTest, int dim, int groups, int seed)
    {
        var (_, testRows) = AttackerInput.Validate(xTrain, yTrain, xTest, dim, groups);
        var probabilities = new double[testRows * groups];
        for (int j = 0; j < groups; j++)
        {
            int group = j;
            var ofGroup = FitPredict(xTrain, yTrain.Select(y => y == group ? 1 : 0).ToArray(), xTest, dim, DerivedSeed.Of(seed, group));
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

    private static List<Row> Rows(float[] x, int[]? y, int rows, int dim)
    {
        var list = new List<Row>(rows);
        for (int i = 0; i < rows; i++)
            list.Add(new Row { Label = y is not null && y[i] == 1, Features = x.AsSpan(i * dim, dim).ToArray() });
        return list;
    }

    private sealed class Row
    {
        public bool Label { get; set; }
        public float[] Features { get; set; } = [];
    }
}
