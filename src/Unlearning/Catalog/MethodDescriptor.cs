using Unlearning.Training;

namespace Unlearning.Catalog;

/// <summary>One method of the grid: what it runs (a training regime, or an unlearning loss applied to
/// the model of the method it starts from), its column of the published Table 2, its cost inputs
/// and its look in the plots.</summary>
public sealed record MethodDescriptor : ICatalogEntry
{
    public required string Name { get; init; }
    public required string Label { get; init; }
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Trains a model from scratch this way; null for a method that unlearns.</summary>
    public TrainingRegime? Regime { get; init; }

    /// <summary>Unlearns, from the model of <see cref="StartsFrom"/>, with this loss; null for a method that trains.</summary>
    public UnlearningLoss? Loss { get; init; }

    /// <summary>The method whose finished model this one starts from (same dataset, model and seed); null: none.</summary>
    public string? StartsFrom { get; init; }

    public bool NeedsOriginal => StartsFrom is not null;

    /// <summary>The method's column in the published Table 2 (its running time); null: the paper has none.</summary>
    public string? PaperTable2Column { get; init; }

    /// <summary>Table 2 gives its running time (every method but the training the others start from).</summary>
    public bool InTable2 { get; init; } = true;

    /// <summary>One of the paper's methods: part of <c>--methods all</c> and <c>grid all</c>. A method beyond
    /// the paper runs where it is named.</summary>
    public bool InPaperGrid { get; init; } = true;

    /// <summary>Seconds on ML-100K, paper profile, one CPU thread, by model (the cost model's reference).</summary>
    public IReadOnlyDictionary<string, double> ReferenceSeconds { get; init; } = new Dictionary<string, double>();

    public CostScaling Scaling { get; init; } = CostScaling.TrainingPairs;

    public required PlotStyle Style { get; init; }
}
