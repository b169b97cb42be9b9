using Unlearning.Storage;

namespace Unlearning.Experiments;

/// <summary>Where a cell reads data and keeps its artifacts, and what it runs on.</summary>
public sealed record EngineSettings
{
    /// <summary>One folder per dataset, named as the dataset (DIR/ml-100k/u.data, ...).</summary>
    public required string DataDir { get; init; }

    /// <summary>Root of the artifact store when <see cref="Store"/> is not given: results, models,
    /// embeddings and checkpoints under OutDir/cells/..., prepared datasets under OutDir/cache.</summary>
    public required string OutDir { get; init; }

    /// <summary>The artifact store; null: a <see cref="DirectoryArtifactStore"/> at <see cref="OutDir"/>.</summary>
    public IArtifactStore? Store { get; init; }

    /// <summary>auto (CUDA when present), cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>TorchSharp intra-op threads for this process (1 is fastest for these small models).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>u2u / d2d whose original model is not in the store: true, train it here first (one
    /// process: <c>cell</c>, the benchmark); false, wait up to <see cref="OriginalWait"/> for it to
    /// appear and then fail (the grid, where the original is another cell).</summary>
    public bool TrainMissingOriginal { get; init; } = true;

    public TimeSpan OriginalWait { get; init; } = TimeSpan.FromSeconds(30);

    public IArtifactStore ArtifactStore() => Store ?? new DirectoryArtifactStore(OutDir);
}
