using Microsoft.ML;
using Microsoft.ML.Trainers;
using Unlearning.Util;

namespace Unlearning.Attack;

/// <summary>
/// A logistic-regression attacker, the simplest a platform would try: ML.NET's L-BFGS logistic
/// regression (a kept library rather than our own solver), with scikit-learn's defaults
/// (<c>LogisticRegression()</c>: L2 with C = 1, at most 100 iterations), on the raw representation;
/// one-vs-rest for more than two groups, each row's probabilities divided by their sum, as the tree
/// attacker does. Not one of the paper's attackers: a cell runs it only where asked
/// (<c>attack --attackers logistic</c>).
/// </summary>
public sealed class LogisticAttacker(LogisticAttacker.Settings? options = null) : IAttacker
{
    /// <summary>Its settings, <c>logistic_attacker.*</c>.</summary>
    public sealed record Settings : OptionsSection
    {
        /// <summary>Weight of the L2 penalty on the summed log-loss: 1 is scikit-learn's C = 1.</summary>
        public double L2Regularization { get; init; } = 1;

        /// <summary>L-BFGS iterations at most (scikit-learn's max_iter).</summary>
        public int MaxIterations { get; init; } = 100;

        /// <summary>Relative change of the objective at which L-BFGS stops (scikit-learn's tol).</summary>
        public double Tolerance { get; init; } = 1e-4;
    }

    public Settings Options { get; } = options ?? new Settings();

    public string Name => "Logistic";

    public double[] FitPredict(float[] xTrain, int[] yTrain, float[] xTest, int dim, int seed)
    {
        var (trainRows, testRows) = AttackerInput.Validate(xTrain, yTrain, xTest, dim);
        if (testRows == 0) return [];
        var ml = new MLContext(seed);
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            LabelColumnName = MlNetRows.Label,
            FeatureColumnName = MlNetRows.Features,
            L2Regularization = (float)Options.L2Regularization,
            L1Regularization = 0,
            MaximumNumberOfIterations = Options.MaxIterations,
            OptimizationTolerance = (float)Options.Tolerance,
            NumberOfThreads = 1,
        });
        var model = trainer.Fit(MlNetRows.Load(ml, xTrain, yTrain, trainRows, dim));
        return MlNetRows.Probabilities(model.Transform(MlNetRows.Load(ml, xTest, null, testRows, dim)));
    }

    public double[] FitPredictGroups(float[] xTrain, int[] yTrain, float[] xTest, int dim, int groups, int seed) =>
        OneVersusRest.Probabilities(this, xTrain, yTrain, xTest, dim, groups, seed);
}
