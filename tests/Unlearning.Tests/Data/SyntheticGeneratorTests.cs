using System.Diagnostics;
using Unlearning.Data;
using Unlearning.Experiments;

namespace Unlearning.Tests.Data;

public class SyntheticGeneratorTests(ITestOutputHelper output)
{
    [Fact]
    public void Small_shape_gender_ratio_and_minimum_activity()
    {
        SyntheticGenerator.Generate(SyntheticOptions.Small with { Users = 10, Items = 200, Interactions = 100 }); // JIT warm-up
        var clock = Stopwatch.StartNew();
        var raw = SyntheticGenerator.Generate(SyntheticOptions.Small);
        clock.Stop();
        output.WriteLine($"synthetic-small generated in {clock.Elapsed.TotalMilliseconds:F1} ms");

        Assert.Equal(300, raw.UserIds.Count);
        Assert.Equal(400, raw.ItemIds.Count);
        Assert.Equal(15_000, raw.Count);
        Assert.Equal((int)Math.Round(300 * 4415 / 19972.0), raw.UserAttributes.Count(a => a == "f"));
        Assert.Equal(300 - raw.UserAttributes.Count(a => a == "f"), raw.UserAttributes.Count(a => a == "m"));

        var perUser = new int[300];
        foreach (var u in raw.Users) perUser[u]++;
        Assert.All(perUser, n => Assert.InRange(n, 5, 200));
        Assert.Equal(raw.Count, raw.Users.Zip(raw.Items).Distinct().Count());

        var result = Preprocessor.Run(raw, new DataOptions { MinInteractions = 5 }, "synthetic-small");
        output.WriteLine(result.Stats.ToString());
        Assert.Equal(300, result.Dataset.NumUsers);
        Assert.True(result.Dataset.NumItems > 380, $"{result.Dataset.NumItems} items left");
        Assert.Equal(["m", "f"], result.Dataset.GroupValues);
    }

    [Fact]
    public void Popularity_is_long_tailed()
    {
        var raw = SyntheticGenerator.Generate(SyntheticOptions.Small with { Users = 2000, Items = 2000, Interactions = 100_000 });
        var counts = new int[2000];
        foreach (var i in raw.Items) counts[i]++;
        Array.Sort(counts);
        Array.Reverse(counts);
        long top10Percent = counts.Take(200).Sum();
        Assert.True(top10Percent > 0.3 * raw.Count, $"top 10% of items hold {top10Percent} of {raw.Count}");
        Assert.True(counts[0] > 10 * counts[1000], $"head {counts[0]} vs median {counts[1000]}");
    }

    [Fact]
    public void Deterministic_for_a_seed()
    {
        var a = SyntheticGenerator.Generate(SyntheticOptions.Small);
        var b = SyntheticGenerator.Generate(SyntheticOptions.Small);
        var c = SyntheticGenerator.Generate(SyntheticOptions.Small with { Seed = 99 });
        Assert.Equal(a.Users, b.Users);
        Assert.Equal(a.Items, b.Items);
        Assert.Equal(a.Timestamps, b.Timestamps);
        Assert.Equal(a.UserAttributes, b.UserAttributes);
        Assert.NotEqual(a.Items, c.Items);
    }

    [Fact]
    public void Gender_is_recoverable_from_behaviour()
    {
        // Score each user by the average female share of their items' other listeners; the AUC of
        // that score says the attribute is planted in behaviour (an attacker can find it).
        var raw = SyntheticGenerator.Generate(SyntheticOptions.Small);
        double auc = SyntheticSignal.ItemShareAuc(raw);
        output.WriteLine($"behavioural gender AUC on synthetic-small: {auc:F3}");
        Assert.InRange(auc, 0.6, 0.95);
    }

    [Fact]
    public void Timestamps_increase_within_each_user()
    {
        var raw = SyntheticGenerator.Generate(SyntheticOptions.Small);
        for (int k = 1; k < raw.Count; k++)
            if (raw.Users[k] == raw.Users[k - 1])
                Assert.True(raw.Timestamps![k] >= raw.Timestamps[k - 1]);
    }

    /// <summary>"ml-1m-synthetic" loads as ML-1M's shape: its 6,040 users (1,709 f) all kept (each has
    /// at least 20 pairs), about 1M pairs, at most its 3,706 items.</summary>
    [Fact]
    public void Ml1mSyntheticHasMl1msShape()
    {
        var clock = Stopwatch.StartNew();
        var data = DatasetLoader.Load("ml-1m-synthetic", "unused", DataOptions.Default);
        output.WriteLine($"ml-1m-synthetic in {clock.Elapsed.TotalSeconds:F1} s: {data.NumUsers} users, {data.NumItems} items, {data.NumTrain} training pairs");
        Assert.Equal(6_040, data.NumUsers);
        Assert.InRange(data.NumItems, 3_500, 3_706);
        Assert.InRange(data.NumTrain + data.NumUsers, 950_000, 1_000_209);
        Assert.Equal(1_709, data.UserGroup.Count(g => data.GroupValues[g] == "f"));
    }

    /// <summary>Explicit: generates and preprocesses the full LFM-2b-like shape and prints timings.
    /// Run with: dotnet test --filter "FullyQualifiedName~Default_shape" -- xUnit.Explicit=on (or the runner's explicit option).</summary>
    [Fact(Explicit = true)]
    public void Default_shape_timing_and_statistics()
    {
        var clock = Stopwatch.StartNew();
        var raw = SyntheticGenerator.Generate(SyntheticOptions.Default);
        var generated = clock.Elapsed;
        var result = Preprocessor.Run(raw, DatasetLoader.Resolve("lfm-2b-synthetic", DataOptions.Default), "lfm-2b-synthetic");
        var prepared = clock.Elapsed - generated;
        output.WriteLine($"generated in {generated.TotalSeconds:F2} s, preprocessed in {prepared.TotalSeconds:F2} s");
        output.WriteLine(result.Stats.ToString());
        output.WriteLine($"behavioural gender AUC: {SyntheticSignal.ItemShareAuc(raw):F3}");
        Assert.Equal(19_972, raw.UserIds.Count);
        Assert.Equal(2_830_541, raw.Count);
        Assert.True(result.Dataset.NumUsers > 19_000);
    }
}

internal static class SyntheticSignal
{
    public static double ItemShareAuc(RawDataset raw)
    {
        int numUsers = raw.UserIds.Count, numItems = raw.ItemIds.Count;
        var female = raw.UserAttributes.Select(a => a == "f").ToArray();
        var listeners = new int[numItems];
        var women = new int[numItems];
        for (int k = 0; k < raw.Count; k++)
        {
            listeners[raw.Items[k]]++;
            if (female[raw.Users[k]]) women[raw.Items[k]]++;
        }
        var sum = new double[numUsers];
        var count = new int[numUsers];
        for (int k = 0; k < raw.Count; k++)
        {
            int u = raw.Users[k], i = raw.Items[k];
            int others = listeners[i] - 1;
            if (others == 0) continue;
            sum[u] += (women[i] - (female[u] ? 1 : 0)) / (double)others;
            count[u]++;
        }
        var score = sum.Select((s, u) => count[u] > 0 ? s / count[u] : 0).ToArray();
        // AUC = P(score of a random woman > score of a random man), ties count half.
        var order = Enumerable.Range(0, numUsers).OrderBy(u => score[u]).ToArray();
        double rankSum = 0;
        for (int r = 0; r < numUsers;)
        {
            int end = r;
            while (end + 1 < numUsers && score[order[end + 1]] == score[order[r]]) end++;
            double rank = (r + end) / 2.0 + 1;
            for (int k = r; k <= end; k++) if (female[order[k]]) rankSum += rank;
            r = end + 1;
        }
        long nf = female.Count(f => f), nm = numUsers - nf;
        return (rankSum - nf * (nf + 1) / 2.0) / (nf * (double)nm);
    }
}
