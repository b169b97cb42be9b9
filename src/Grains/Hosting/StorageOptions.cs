namespace Unlearning.Grains;

/// <summary>Where this silo reads datasets and keeps artifacts (configuration section "Storage":
/// <c>Storage__Data</c>, <c>Storage__Artifacts</c>). Every silo of a cluster must mount the same
/// artifact store (a ReadWriteMany volume or NFS): u2u / d2d read their original's model from it and
/// a cell resumed on another silo reads its checkpoint from it. The embedded silo uses the client's
/// --data and --out.</summary>
public sealed class StorageOptions
{
    /// <summary>Folder with one sub-folder per dataset (DIR/ml-100k/u.data, ...).</summary>
    public string Data { get; set; } = "data";

    /// <summary>Root of the artifact store (results, models, embeddings, checkpoints, prepared-data cache).</summary>
    public string Artifacts { get; set; } = "artifacts";

    /// <summary>Absolute paths (relative ones resolve against this silo's working directory, once, at start).</summary>
    public StorageOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(Data)) throw new ArgumentException("Storage__Data is empty");
        if (string.IsNullOrWhiteSpace(Artifacts)) throw new ArgumentException("Storage__Artifacts is empty");
        return new StorageOptions { Data = Path.GetFullPath(Data), Artifacts = Path.GetFullPath(Artifacts) };
    }
}
