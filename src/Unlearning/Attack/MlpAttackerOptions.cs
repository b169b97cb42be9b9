namespace Unlearning.Attack;

/// <summary>
/// The MLP attacker of protocol section 6; the defaults are scikit-learn's
/// <c>MLPClassifier(hidden_layer_sizes=(100,), learning_rate_init=0.01, alpha=1, max_iter=500)</c>.
/// </summary>
public sealed record MlpAttackerOptions : Unlearning.Util.OptionsSection
{
    /// <summary>ReLU units in the single hidden layer.</summary>
    public int Hidden { get; init; } = 100;

    /// <summary>Adam step size.</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>Mini-batch size is min(MaxBatch, training rows).</summary>
    public int MaxBatch { get; init; } = 200;

    /// <summary>L2 strength: every batch loss gets alpha / (2 n_batch) x sum of squared weights (biases excluded).</summary>
    public double Alpha { get; init; } = 1.0;

    /// <summary>Upper bound on passes over the training rows.</summary>
    public int MaxEpochs { get; init; } = 500;

    /// <summary>An epoch improves when its loss is below the best so far minus this.</summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Stop once more than this many consecutive epochs did not improve (scikit-learn's n_iter_no_change).</summary>
    public int NoImprovementEpochs { get; init; } = 10;

    /// <summary>Adam's first-moment decay.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam's second-moment decay.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Adam's denominator epsilon (added to sqrt(v), as scikit-learn does).</summary>
    public double Epsilon { get; init; } = 1e-8;
}
