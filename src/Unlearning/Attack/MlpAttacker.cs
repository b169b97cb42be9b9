using TorchSharp;
using Unlearning.Util;
using static TorchSharp.torch;

namespace Unlearning.Attack;

/// <summary>
/// scikit-learn's <c>MLPClassifier</c> (adam solver) re-implemented in TorchSharp, CPU, float32,
/// binary (one logistic output) or multi-class (a softmax output per group):
/// shuffled mini-batches, Adam in scikit-learn's form (lr_t = lr sqrt(1 - b2^t) / (1 - b1^t),
/// step = lr_t m / (sqrt(v) + eps)), and its stopping rule on the epoch training loss.
/// </summary>
public sealed class MlpAttacker(MlpAttackerOptions? options = null) : IAttacker
{
    public MlpAttackerOptions Options { get; } = options ?? new MlpAttackerOptions();

    public string Name => "MLP";

    public double[] FitPredict(float[] xTrain, int[] yTrain, float[] xTest, int dim, int seed) =>
        FitPredict(xTrain, yTrain, xTest, dim, seed, out _);

    /// <summary>A softmax output per group, trained on the softmax cross-entropy (scikit-learn's
    /// multi-class MLPClassifier).</summary>
    public double[] FitPredictGroups(float[] xTrain, int[] yTrain, float[] xTest, int dim, int groups, int seed)
    {
        var (trainRows, _) = AttackerInput.Validate(xTrain, yTrain, xTest, dim, groups);
        var oneHot = new float[trainRows * groups];
        for (int i = 0; i < trainRows; i++) oneHot[i * groups + yTrain[i]] = 1;
        return Fit(xTrain, oneHot, xTest, dim, groups, seed, out _);
    }

    /// <summary><see cref="FitPredict(float[], int[], float[], int, int)"/> that also reports the epochs run.</summary>
    internal double[] FitPredict(float[] xTrain, int[] yTrain, float[] xTest, int dim, int seed, out int epochs)
    {
        AttackerInput.Validate(xTrain, yTrain, xTest, dim);
        return Fit(xTrain, yTrain.Select(v => (float)v).ToArray(), xTest, dim, 1, seed, out epochs);
    }

    /// <param name="targets">Row-major training targets, <paramref name="outputs"/> per row: 0/1 for
    /// one output, one-hot for more.</param>
    private double[] Fit(float[] xTrain, float[] targets, float[] xTest, int dim, int outputs, int seed, out int epochs)
    {
        int trainRows = xTrain.Length / dim, testRows = xTest.Length / dim;
        var rng = new Random(seed);
        using var scope = torch.NewDisposeScope();
        var network = MlpNetwork.GlorotUniform(dim, Options.Hidden, rng, outputs);
        var x = TensorMemory.Copy(xTrain, trainRows, dim);
        var y = TensorMemory.Copy(targets, trainRows, outputs);
        epochs = Train(network, x, y, rng);
        if (testRows == 0) return [];
        var probability = network.Probabilities(TensorMemory.Copy(xTest, testRows, dim)).to_type(ScalarType.Float64);
        return probability.data<double>().ToArray();
    }

    private int Train(MlpNetwork network, Tensor x, Tensor y, Random rng)
    {
        var o = Options;
        int rows = (int)x.shape[0];
        int batch = Math.Min(o.MaxBatch, rows);
        var parameters = network.Parameters;
        var gradient = torch.zeros_like(parameters);
        var m = torch.zeros_like(parameters);
        var v = torch.zeros_like(parameters);
        var order = new long[rows];
        for (int i = 0; i < rows; i++) order[i] = i;
        double bestLoss = double.PositiveInfinity;
        int noImprovement = 0, step = 0;

        for (int epoch = 1; epoch <= o.MaxEpochs; epoch++)
        {
            Shuffle(order, rng);
            double epochLoss;
            using (var epochScope = torch.NewDisposeScope())
            {
                var permutation = torch.tensor(order);
                var lossSum = torch.zeros(1, dtype: ScalarType.Float64);
                for (int start = 0; start < rows; start += batch)
                {
                    using var stepScope = torch.NewDisposeScope();
                    var index = permutation.narrow(0, start, Math.Min(batch, rows - start));
                    var xb = x.index_select(0, index);
                    var yb = y.index_select(0, index);
                    // Batch loss x batch size, as scikit-learn accumulates it: BCE sum + alpha/2 |W|^2.
                    lossSum.add_(network.SquaredWeights(), alpha: Scalars.Of(0.5 * o.Alpha));
                    lossSum.add_(network.Backprop(xb, yb, o.Alpha, gradient), Scalars.One);
                    step++;
                    double lrT = o.LearningRate * Math.Sqrt(1 - Math.Pow(o.Beta2, step)) / (1 - Math.Pow(o.Beta1, step));
                    m.mul_(Scalars.Of(o.Beta1)).add_(gradient, alpha: Scalars.Of(1 - o.Beta1));
                    v.mul_(Scalars.Of(o.Beta2)).addcmul_(gradient, gradient, value: Scalars.Of(1 - o.Beta2));
                    using var stepSize = (-lrT).ToScalar();
                    parameters.addcdiv_(m, v.sqrt().add_(Scalars.Of(o.Epsilon), Scalars.One), value: stepSize);
                }
                epochLoss = lossSum.item<double>() / rows;
            }

            // scikit-learn's _update_no_improvement_count and "> n_iter_no_change" test.
            noImprovement = epochLoss > bestLoss - o.Tolerance ? noImprovement + 1 : 0;
            bestLoss = Math.Min(bestLoss, epochLoss);
            if (noImprovement > o.NoImprovementEpochs) return epoch;
        }
        return o.MaxEpochs;
    }

    private static void Shuffle(long[] items, Random rng)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
