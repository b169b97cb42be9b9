namespace Unlearning.Storage;

/// <summary>Whether an artifact was found, and whether it passed its checksum.</summary>
public enum ArtifactState { Missing, Corrupt, Verified }

/// <summary>The outcome of reading an artifact: a local path to a verified copy, or why there is none.</summary>
public sealed record ArtifactRead(ArtifactState State, string? Path = null, string? Problem = null)
{
    public bool IsVerified => State == ArtifactState.Verified;
}

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

/// <summary>The names a cell's artifacts may have.</summary>
public static class ArtifactNames
{
    public const string Result = "result.json";
    public const string Model = "model.bin";
    public const string Embeddings = "user_embeddings.npy";
    /// <summary>The full user representation (<see cref="Models.IRecommender.FullUserRepresentation"/>).</summary>
    public const string Representation = "user_representation.npy";
    /// <summary>Each user's attribute value, one per line, in the rows' order of the embeddings.</summary>
    public const string UserGroups = "user_groups.txt";
    public const string TrainingCheckpoint = "training.ckpt";
    public const string UnlearningCheckpoint = "unlearning.ckpt";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Result, Model, Embeddings, Representation, UserGroups, TrainingCheckpoint, UnlearningCheckpoint };
}
