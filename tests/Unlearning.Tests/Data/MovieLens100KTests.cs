using Unlearning.Tests.Shared;
using System.Diagnostics;
using Unlearning.Data;
using Unlearning.Experiments;

namespace Unlearning.Tests.Data;

/// <summary>Checks against the real MovieLens 100K files in ../shared/data (never committed);
/// skipped where they are absent.</summary>
public class MovieLens100KTests(ITestOutputHelper output)
{
    private static string RequireData()
    {
        var shared = RepoPaths.SharedData;
        var dir = shared is null ? null : Path.Combine(shared, "ml-100k");
        Assert.SkipUnless(dir is not null && File.Exists(Path.Combine(dir, "u.data")) && File.Exists(Path.Combine(dir, "u.user")),
            $"MovieLens 100K not found: expected u.data and u.user in ../shared/data/ml-100k next to the repository " +
            $"(repository root: {RepoPaths.RepoRoot ?? "not found"}); run the client's `data fetch ml-100k` to get it");
        return shared!;
    }

    [Fact]
    public void Raw_files_match_the_published_statistics()
    {
        var raw = MovieLens100KReader.Read(Path.Combine(RequireData(), "ml-100k"));
        Assert.Equal(943, raw.UserIds.Count);
        Assert.Equal(943, raw.CountInteractingUsers());
        Assert.Equal(670, raw.UserAttributes.Count(a => a == "M"));
        Assert.Equal(273, raw.UserAttributes.Count(a => a == "F"));
        Assert.Equal(1682, raw.CountInteractedItems());
        Assert.Equal(100_000, raw.Count);
    }

    [Fact]
    public void Preprocessing_gives_the_expected_figures()
    {
        var raw = MovieLens100KReader.Read(Path.Combine(RequireData(), "ml-100k"));
        var (data, stats) = Preprocessor.Run(raw, DatasetLoader.Resolve("ml-100k", DataOptions.Default), "ml-100k");
        output.WriteLine(stats.ToString());
        Assert.Equal(100_000, stats.UniquePairs);
        Assert.Equal(943, data.NumUsers);
        Assert.Equal(1349, data.NumItems);
        Assert.Equal(99_287, stats.Interactions);
        Assert.Equal(98_344, data.NumTrain);
        Assert.Equal(416, stats.UsersWithLatestTies); // protocol.md: 416 of 943
        Assert.Equal(["M", "F"], data.GroupValues);
        Assert.Equal([670, 273], data.GroupSizes());
        Assert.Equal(1, data.PositiveGroup);
    }

    [Fact]
    public void Loader_and_cache()
    {
        var shared = RequireData();
        using var dir = new TempFolder();
        var log = new List<string>();
        var clock = Stopwatch.StartNew();
        var built = DatasetLoader.Load("ml-100k", shared, DataOptions.Default, dir.Path, log.Add);
        var buildTime = clock.Elapsed;
        Assert.Contains(log, l => l.Contains("cached at"));
        log.Clear();
        clock.Restart();
        var cached = DatasetLoader.Load("ml-100k", shared, DataOptions.Default, dir.Path, log.Add);
        output.WriteLine($"ml-100k: built in {buildTime.TotalMilliseconds:F0} ms, from cache in {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Contains(log, l => l.Contains("loaded from cache"));
        DatasetAssert.SameArrays(built, cached);
        Assert.Equal(943, built.NumUsers);
    }
}
