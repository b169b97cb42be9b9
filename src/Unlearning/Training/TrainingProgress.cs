namespace Unlearning.Training;

/// <summary>A progress report from a long computation: phase ("train", "unlearn", "attack"),
/// position, last loss and estimated remaining time. <see cref="EpochSeconds"/> is set on the
/// report that closes a training epoch.</summary>
public sealed record TrainingProgress(
    string Phase, int Position, int Total, double Loss, TimeSpan Elapsed, TimeSpan? Remaining, string? Detail = null, double? EpochSeconds = null);
