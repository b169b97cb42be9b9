namespace Unlearning.Training;

/// <summary>A progress report from a long computation: phase ("train", "unlearn", "attack"),
/// position, last loss and estimated remaining time.</summary>
public sealed record TrainingProgress(
    string Phase, int Position, int Total, double Loss, TimeSpan Elapsed, TimeSpan? Remaining, string? Detail = null)
{
    public static TimeSpan? Estimate(TimeSpan elapsed, int done, int total) =>
        done <= 0 ? null : TimeSpan.FromSeconds(elapsed.TotalSeconds / done * (total - done));
}
