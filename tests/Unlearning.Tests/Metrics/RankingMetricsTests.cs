using Unlearning.Metrics;

namespace Unlearning.Tests.Metrics;

public class RankingMetricsTests
{
    [Fact]
    public void HitRateAndNdcgMatchHandComputedValues()
    {
        // Ranks 0, 3, 7, 12, 30: HR@5 = 2/5, HR@10 = 3/5, HR@15 = 4/5, HR@20 = 4/5.
        var m = RankingMetrics.FromRanks([0, 3, 7, 12, 30]);
        Assert.Equal(0.4, m.Hr(5), 12);
        Assert.Equal(0.6, m.Hr(10), 12);
        Assert.Equal(0.8, m.Hr(15), 12);
        Assert.Equal(0.8, m.Hr(20), 12);
        // NDCG@5 = (1/log2(2) + 1/log2(5)) / 5; NDCG@10 adds 1/log2(9).
        Assert.Equal((1 + 1 / Math.Log2(5)) / 5, m.NdcgAt(5), 12);
        Assert.Equal((1 + 1 / Math.Log2(5) + 1 / Math.Log2(9)) / 5, m.NdcgAt(10), 12);
        Assert.Equal((1 + 1 / Math.Log2(5) + 1 / Math.Log2(9) + 1 / Math.Log2(14)) / 5, m.NdcgAt(20), 12);
    }

    [Fact]
    public void PositiveRankCountsCandidatesScoringAtLeastAsHigh()
    {
        float[] scores = [0.5f, 0.9f, 0.1f, 0.5f, /* user 2 */ 2f, 1f, 0f, -1f];
        Assert.Equal([2, 0], RankingMetrics.PositiveRanks(scores, 2, 4));
    }
}
