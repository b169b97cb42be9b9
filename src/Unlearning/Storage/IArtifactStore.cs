namespace Unlearning.Storage;

/// <summary>
/// Where cells keep what they produce (results, models, embeddings, checkpoints), shared by every
/// silo of a cluster. Artifacts are keyed by the cell's config hash and one of a fixed set of names
/// (<see cref="ArtifactNames"/>): no path is ever built from user text. Writes are atomic, reads verify
/// a checksum, so a half-written or damaged artifact reads as <see cref="ArtifactState.Corrupt"/>, never
/// as data.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Where the store lives, for messages ("shared directory /mnt/artifacts").</summary>
    string Description { get; }

    /// <summary>Writes an artifact: <paramref name="write"/> fills the temporary file at the path it is
    /// given; the store then checksums it and publishes it under its name in one rename.</summary>
    /// <returns>A local path of the published artifact.</returns>
    string Write(string key, string name, Action<string> write);

    ArtifactRead Read(string key, string name);

    void Delete(string key, string name);

    /// <summary>Folder for derived data that is checked on read by its own means (the prepared-dataset cache).</summary>
    string CacheDirectory { get; }
}
