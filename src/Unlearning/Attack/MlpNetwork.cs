using TorchSharp;
using Unlearning.Util;
using static TorchSharp.torch;

namespace Unlearning.Attack;

/// <summary>
/// p = sigmoid(relu(x W1 + b1) W2 + b2) with one output (two groups), softmax(...) with one output
/// per group for more, as scikit-learn's MLPClassifier; a hand-written backward pass.
/// All parameters live in one flat float32 tensor laid out [W1 | W2 | b1 | b2], so the weights
/// (the only L2-penalised part) are one contiguous prefix and Adam updates everything in a few ops.
/// </summary>
internal sealed class MlpNetwork
{
    private readonly Tensor _w1, _w2, _w2Row, _b1, _b2, _weights;
    private readonly int _dim, _hidden, _outputs;

    public MlpNetwork(Tensor parameters, int dim, int hidden, int outputs = 1)
    {
        if (parameters.numel() != ParameterCount(dim, hidden, outputs))
            throw new ArgumentException($"Expected {ParameterCount(dim, hidden, outputs)} parameters, got {parameters.numel()}.");
        Parameters = parameters;
        _dim = dim;
        _hidden = hidden;
        _outputs = outputs;
        (_w1, _w2, _b1, _b2, _weights) = Views(parameters);
        _w2Row = _w2.t();
    }

    /// <summary>The flat parameter tensor; updating it in place updates the network.</summary>
    public Tensor Parameters { get; }

    public static long ParameterCount(int dim, int hidden, int outputs = 1) => (long)dim * hidden + (long)hidden * outputs + hidden + outputs;

    /// <summary>
    /// scikit-learn's Glorot-uniform initialisation: weights and biases of each layer drawn from
    /// U(-b, b), b = sqrt(6 / (fan_in + fan_out)). scikit-learn picks factor 2 instead of 6 only when
    /// the hidden activation is logistic, so with ReLU both layers use 6.
    /// </summary>
    /// <param name="outputs">1 (a sigmoid for two groups) or the number of groups (a softmax).</param>
    public static MlpNetwork GlorotUniform(int dim, int hidden, Random rng, int outputs = 1)
    {
        double bound1 = Math.Sqrt(6.0 / (dim + hidden)), bound2 = Math.Sqrt(6.0 / (hidden + outputs));
        var w1 = Draw(dim * hidden, bound1, rng);
        var b1 = Draw(hidden, bound1, rng);
        var w2 = Draw(hidden * outputs, bound2, rng);
        var b2 = Draw(outputs, bound2, rng);
        float[] flat = [.. w1, .. w2, .. b1, .. b2];
        // A copy in torch's aligned memory: over the managed array itself, the attack's numbers
        // varied between runs of the same seed (see TensorMemory.Copy).
        return new MlpNetwork(TensorMemory.Copy(flat, flat.Length), dim, hidden, outputs);
    }

    /// <summary>Output logits (n x outputs) of a batch (n x dim).</summary>
    public Tensor Logits(Tensor x) => _b2.addmm(_b1.addmm(x, _w1).relu_(), _w2);

    /// <summary>Each row's probability: of the positive class (n x 1) with one output, of each group
    /// (n x groups) with more.</summary>
    public Tensor Probabilities(Tensor x) => _outputs == 1 ? Logits(x).sigmoid_() : Logits(x).softmax(1);

    /// <summary>Sum of squared weights (biases excluded).</summary>
    public Tensor SquaredWeights() => _weights.dot(_weights);

    /// <summary>
    /// Writes into <paramref name="gradient"/> (laid out like <see cref="Parameters"/>) the gradient of
    /// the mean log loss + alpha / (2 n) x sum of squared weights, and returns the log loss summed over
    /// the batch: binary cross-entropy with one output (y: n x 1 of 0/1), softmax cross-entropy with
    /// more (y: n x groups, one-hot). Both have the output delta p - y.
    /// </summary>
    public Tensor Backprop(Tensor x, Tensor y, double alpha, Tensor gradient)
    {
        long n = x.shape[0];
        var (gW1, gW2, gB1, gB2, gWeights) = Views(gradient);
        var hidden = _b1.addmm(x, _w1).relu_();
        var logits = _b2.addmm(hidden, _w2);
        var lossSum = _outputs == 1
            ? nn.functional.binary_cross_entropy_with_logits(logits, y, reduction: nn.Reduction.Sum)
            : logits.log_softmax(1).mul(y).sum().neg();
        using var perExample = (1.0 / n).ToScalar();
        using var penalty = (alpha / n).ToScalar();
        var outputDelta = (_outputs == 1 ? logits.sigmoid_() : logits.softmax(1)).sub_(y).mul_(perExample);
        gWeights.copy_(_weights).mul_(penalty);
        gW2.addmm_(hidden.t(), outputDelta);
        gB2.copy_(outputDelta.sum(dim: 0L));
        var hiddenDelta = (_outputs == 1 ? outputDelta.mul(_w2Row) : outputDelta.mm(_w2Row)).mul_(hidden.sign());
        gW1.addmm_(x.t(), hiddenDelta);
        gB1.copy_(hiddenDelta.sum(dim: 0L));
        return lossSum;
    }

    private (Tensor W1, Tensor W2, Tensor B1, Tensor B2, Tensor Weights) Views(Tensor flat)
    {
        long w1 = (long)_dim * _hidden;
        long w2 = (long)_hidden * _outputs;
        return (flat.narrow(0, 0, w1).view(_dim, _hidden),
                flat.narrow(0, w1, w2).view(_hidden, _outputs),
                flat.narrow(0, w1 + w2, _hidden),
                flat.narrow(0, w1 + w2 + _hidden, _outputs),
                flat.narrow(0, 0, w1 + w2));
    }

    private static float[] Draw(int count, double bound, Random rng)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)((rng.NextDouble() * 2 - 1) * bound);
        return values;
    }
}
