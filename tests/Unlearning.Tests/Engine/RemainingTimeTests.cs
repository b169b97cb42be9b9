using Unlearning.Training;

namespace Unlearning.Tests.Engine;

public sealed class RemainingTimeTests
{
    /// <summary>A run whose set-up took 100 s and whose batches then take 1 s each: no ETA before a rate
    /// is measured, then the batches' rate, not the set-up's (which gave an ETA of an hour before).</summary>
    [Fact]
    public void TheEstimateUsesTheRateMeasuredAfterTheFirstReport()
    {
        var remaining = new RemainingTime();
        // 25 epochs of 100 batches; the first report after the set-up and one batch.
        Assert.Null(remaining.After(TimeSpan.FromSeconds(101), 0.01, 25));
        Assert.Null(remaining.After(TimeSpan.FromSeconds(101), 0.01, 25));
        // 200 batches later: 1 s per batch, 2,299 batches to go.
        var eta = remaining.After(TimeSpan.FromSeconds(301), 2.01, 25);
        Assert.NotNull(eta);
        Assert.Equal(2299, eta.Value.TotalSeconds, 6);
        Assert.Equal(TimeSpan.Zero, remaining.After(TimeSpan.FromSeconds(2600), 25, 25));
    }
}
