using Unlearning.Attack;

namespace Unlearning.Tests.Attack;

public class SamplingTests
{
    private static readonly int[] Labels = [.. Enumerable.Repeat(0, 10), .. Enumerable.Repeat(1, 4), .. Enumerable.Repeat(2, 6)];

    [Fact]
    public void BalancedSamplerTakesTheSmallestClassSizeFromEveryClass()
    {
        var sample = BalancedSampler.Sample(Labels, new Random(1));
        Assert.Equal(12, sample.Length);
        Assert.Equal(sample.Length, sample.Distinct().Count());
        Assert.All(new[] { 0, 1, 2 }, c => Assert.Equal(4, sample.Count(i => Labels[i] == c)));
        Assert.Equal(Enumerable.Range(10, 4), sample.Where(i => Labels[i] == 1));
    }

    [Fact]
    public void BalancedSamplerIsSeeded()
    {
        Assert.Equal(BalancedSampler.Sample(Labels, new Random(7)), BalancedSampler.Sample(Labels, new Random(7)));
        var draws = Enumerable.Range(0, 5).Select(s => string.Join(",", BalancedSampler.Sample(Labels, new Random(s))));
        Assert.True(draws.Distinct().Count() > 1);
    }

    [Fact]
    public void StratifiedFoldsPartitionTheRowsAndKeepClassShares()
    {
        int[] labels = [.. Enumerable.Repeat(0, 23), .. Enumerable.Repeat(1, 11)];
        var folds = StratifiedKFold.Split(labels, 5, new Random(3)).ToList();
        Assert.Equal(5, folds.Count);
        Assert.Equal(Enumerable.Range(0, labels.Length), folds.SelectMany(f => f.Test).Order());
        foreach (var (train, test) in folds)
        {
            Assert.Equal(Enumerable.Range(0, labels.Length).Except(test), train);
            foreach (int c in new[] { 0, 1 })
            {
                double share = labels.Count(l => l == c) / 5.0;
                int count = test.Count(i => labels[i] == c);
                Assert.InRange(count, Math.Floor(share), Math.Ceiling(share));
            }
        }
        Assert.InRange(folds.Max(f => f.Test.Length) - folds.Min(f => f.Test.Length), 0, 1);
    }

    [Fact]
    public void StratifiedFoldsAreSeeded()
    {
        int[] labels = [.. Enumerable.Repeat(0, 20), .. Enumerable.Repeat(1, 20)];
        string Tests(int seed) => string.Join("|", StratifiedKFold.Split(labels, 5, new Random(seed)).Select(f => string.Join(",", f.Test)));
        Assert.Equal(Tests(11), Tests(11));
        Assert.NotEqual(Tests(11), Tests(12));
    }
}
