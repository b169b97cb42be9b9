namespace Unlearning.Storage;

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
