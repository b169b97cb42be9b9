namespace Unlearning.Storage;

/// <summary>The outcome of reading an artifact: a local path to a verified copy, or why there is none.</summary>
public sealed record ArtifactRead(ArtifactState State, string? Path = null, string? Problem = null)
{
    public bool IsVerified => State == ArtifactState.Verified;
}
