namespace Unlearning.Attack;

/// <summary>
/// The gradient-boosted tree attacker of protocol section 6 (standing in for the paper's XGBoost with
/// depth 4, 50 trees, learning rate 0.5): ML.NET FastTree with these settings.
/// </summary>
public sealed record TreeAttackerOptions : Unlearning.Util.OptionsSection
{
    /// <summary>Leaves per tree (16 = a full tree of depth 4).</summary>
    public int NumberOfLeaves { get; init; } = 16;

    /// <summary>Boosting rounds.</summary>
    public int NumberOfTrees { get; init; } = 50;

    /// <summary>Shrinkage of every tree's contribution.</summary>
    public double LearningRate { get; init; } = 0.5;

    /// <summary>Smallest number of training rows a leaf may hold.</summary>
    public int MinimumExampleCountPerLeaf { get; init; } = 1;

    /// <summary>FastTree's worker threads; 1 keeps a fold on the caller's thread, like the rest of a cell's work.</summary>
    public int NumberOfThreads { get; init; } = 1;
}
