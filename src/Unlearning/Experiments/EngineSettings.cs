namespace Unlearning.Experiments;

/// <summary>Where a cell reads data and writes results, and what it runs on.</summary>
public sealed record EngineSettings
{
    /// <summary>One folder per dataset, named as the dataset (DIR/ml-100k/u.data, ...).</summary>
    public required string DataDir { get; init; }

    /// <summary>Results, models and embeddings go under OutDir/cells/...; prepared datasets under OutDir/cache.</summary>
    public required string OutDir { get; init; }

    /// <summary>auto (CUDA when present), cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>TorchSharp intra-op threads for this process (1 is fastest for these small models).</summary>
    public int Threads { get; init; } = 1;

    public string CacheDir => Path.Combine(OutDir, "cache");
}
