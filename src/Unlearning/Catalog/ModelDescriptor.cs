using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Util;
using static TorchSharp.torch;

namespace Unlearning.Catalog;

/// <summary>One recommender: its options section, how it is built (a <c>Module</c> per model, as
/// TorchSharp's examples have it), what its attacked and full user representations are, and how much
/// a GPU speeds its training for the cost model.</summary>
public sealed record ModelDescriptor : ICatalogEntry
{
    public required string Name { get; init; }
    public required string Label { get; init; }
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public required OptionsSectionInfo Options { get; init; }

    /// <summary>Builds the model for a dataset with its options section, on a device, initialised from the generator.</summary>
    public required Func<PreparedDataset, OptionsSection, Device, Generator, IRecommender> Create { get; init; }

    /// <summary>The table an attacker reads (the paper's view).</summary>
    public required string AttackedView { get; init; }

    /// <summary>Everything the model holds about a user.</summary>
    public required string FullView { get; init; }

    /// <summary>How much faster its training runs on an H100/H200 than on one CPU core (targets, unmeasured).</summary>
    public double GpuTrainingSpeedup { get; init; } = 1;
}
