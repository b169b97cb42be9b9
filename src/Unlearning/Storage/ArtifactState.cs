namespace Unlearning.Storage;

/// <summary>Whether an artifact was found, and whether it passed its checksum.</summary>
public enum ArtifactState { Missing, Corrupt, Verified }
