using Unlearning.Data;

namespace Unlearning.Tests.Data;

public class CandidateTests
{
    private static readonly RawDataset Raw = SyntheticGenerator.Generate(SyntheticOptions.Small);

    private static PreparedDataset Prepare(int seed) =>
        Preprocessor.Run(Raw, new DataOptions { MinInteractions = 5, Seed = seed }, "synthetic-small").Dataset;

    [Fact]
    public void Each_user_gets_100_distinct_candidates_starting_with_the_test_positive_and_never_seen()
    {
        var data = Prepare(2023);
        Assert.Equal(data.NumUsers * PreparedDataset.CandidatesPerUser, data.TestCandidates.Length);
        for (int u = 0; u < data.NumUsers; u++)
        {
            var row = data.CandidatesOf(u);
            Assert.Equal(data.TestItems[u], row[0]);
            Assert.Equal(PreparedDataset.CandidatesPerUser, row.ToArray().Distinct().Count());
            foreach (var item in row[1..])
            {
                Assert.InRange(item, 0, data.NumItems - 1);
                Assert.False(data.HasInteracted(u, item), $"user {u} candidate {item} was interacted with");
            }
            Assert.DoesNotContain(data.TestItems[u], data.TrainItemsOf(u).ToArray());
        }
    }

    [Fact]
    public void Candidates_are_deterministic_per_seed_and_differ_across_seeds()
    {
        var a = Prepare(7);
        var b = Prepare(7);
        var c = Prepare(8);
        Assert.Equal(a.TestCandidates, b.TestCandidates);
        Assert.NotEqual(a.TestCandidates, c.TestCandidates);
        // The split itself does not depend on the seed when there are timestamps.
        Assert.Equal(a.TestItems, c.TestItems);
        Assert.Equal(a.TrainItems, c.TrainItems);
    }

    [Fact]
    public void Negatives_cover_the_unseen_items_roughly_uniformly()
    {
        // A dense user (more than half the items seen) takes the enumeration path; a sparse one the
        // rejection path. Both should hit every unseen item about equally often.
        const int numItems = 300;
        foreach (int seen in new[] { 10, 190 })
        {
            var hits = new int[numItems];
            var rng = new Random(1);
            int[] trainItems = Enumerable.Range(1, seen - 1).ToArray();
            for (int rep = 0; rep < 400; rep++)
            {
                var c = CandidateSampler.Sample(numItems, [0, seen - 1], trainItems, [0], 99, rng, (_, _) => new Exception());
                foreach (var item in c.AsSpan(1)) hits[item]++;
            }
            var unseen = hits.Skip(seen).ToArray();
            Assert.All(hits.Take(seen), h => Assert.Equal(0, h));
            double expected = 400.0 * 99 / unseen.Length;
            Assert.All(unseen, h => Assert.InRange(h, expected * 0.6, expected * 1.4));
        }
    }
}
