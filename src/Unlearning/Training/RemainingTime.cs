namespace Unlearning.Training;

/// <summary>
/// Remaining time at the rate measured since the first report. The time before it (data and model
/// set-up, the first epoch's negative sample, the first batch's warm-up, the top-20 lists) is not
/// part of the rate: counting it made the first batch of a run report an ETA of 00:57:19.
/// </summary>
public sealed class RemainingTime
{
    private double _startSeconds = double.NaN, _startDone;

    /// <summary>Null on the first report (nothing measured yet) and until some work has been done since.</summary>
    public TimeSpan? After(TimeSpan elapsed, double done, double total)
    {
        if (double.IsNaN(_startSeconds))
        {
            (_startSeconds, _startDone) = (elapsed.TotalSeconds, done);
            return null;
        }
        if (!(done > _startDone)) return null;
        double perUnit = (elapsed.TotalSeconds - _startSeconds) / (done - _startDone);
        return TimeSpan.FromSeconds(Math.Max(0, perUnit * (total - done)));
    }
}
