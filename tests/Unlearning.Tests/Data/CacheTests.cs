using Unlearning.Tests.Shared;
using Unlearning.Data;
using Unlearning.Experiments;

namespace Unlearning.Tests.Data;

public class CacheTests
{
    /// <summary>The prepared data's key feeds every cell's config hash: a change to the cache file's
    /// layout, or a new setting left at its default, must not change it (every stored result would
    /// be computed again). Pinned at the value of the first layout.</summary>
    [Fact]
    public void The_key_of_unchanged_data_and_settings_stays_as_before()
    {
        using var dir = new TempFolder();
        dir.Write("ratings.txt", "1\t2\t3\t4\n");
        var key = DatasetCache.ComputeKey("ml-100k", [dir.Sub("ratings.txt")], DataOptions.Default.KeyText());
        Assert.Equal("fa977d68a997eadd483a37b9313e0779f65eaf4424c0ac0f2ede92a97e582c75", key);
    }

    [Fact]
    public void Second_load_reads_the_cache_and_returns_identical_arrays()
    {
        using var dir = new TempFolder();
        var cache = dir.Sub("cache");
        var log = new List<string>();
        var first = DatasetLoader.Load("synthetic-small", dir.Path, DataOptions.Default, cache, log.Add);
        var file = Assert.Single(Directory.GetFiles(cache));
        Assert.Equal($"synthetic-small-{first.ContentHash}.bin", Path.GetFileName(file));
        Assert.Matches("^[0-9a-f]{64}$", first.ContentHash);

        log.Clear();
        var second = DatasetLoader.Load("synthetic-small", dir.Path, DataOptions.Default, cache, log.Add);
        Assert.Contains(log, l => l.Contains("loaded from cache"));
        DatasetAssert.SameArrays(first, second);
        Assert.Equal(first.ContentHash, second.ContentHash);
        Assert.Equal(first.Name, second.Name);
    }

    [Fact]
    public void Settings_change_the_key()
    {
        using var dir = new TempFolder();
        var cache = dir.Sub("cache");
        var a = DatasetLoader.Load("synthetic-small", dir.Path, DataOptions.Default, cache);
        var b = DatasetLoader.Load("synthetic-small", dir.Path, new DataOptions { Seed = 1 }, cache);
        var c = DatasetLoader.Load("synthetic-small", dir.Path, new DataOptions { Synthetic = SyntheticOptions.Small with { Seed = 5 } }, cache);
        Assert.Equal(3, new[] { a.ContentHash, b.ContentHash, c.ContentHash }.Distinct().Count());
        Assert.Equal(3, Directory.GetFiles(cache).Length);
    }

    [Fact]
    public void Raw_file_bytes_change_the_key()
    {
        using var dir = new TempFolder();
        TinyData.Read(dir, "1,5,1\n" + TinyData.Background(), "1,M\n" + TinyData.BackgroundAttributes, "c");
        var options = new DataOptions { MinInteractions = 1 };
        var a = DatasetLoader.Load("c", dir.Path, options);
        File.AppendAllText(Path.Combine(dir.Path, "c", "interactions.csv"), "1,6,2\n");
        var b = DatasetLoader.Load("c", dir.Path, options);
        Assert.NotEqual(a.ContentHash, b.ContentHash);
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("garbage")]
    public void A_corrupt_cache_is_ignored_and_rebuilt(string damage)
    {
        using var dir = new TempFolder();
        var cache = dir.Sub("cache");
        var first = DatasetLoader.Load("synthetic-small", dir.Path, DataOptions.Default, cache);
        var file = Directory.GetFiles(cache).Single();
        var bytes = File.ReadAllBytes(file);
        switch (damage)
        {
            case "flip": bytes[bytes.Length / 2] ^= 0x40; break;
            case "truncate": bytes = bytes[..(bytes.Length / 3)]; break;
            default: bytes = "not a cache"u8.ToArray(); break;
        }
        File.WriteAllBytes(file, bytes);

        var log = new List<string>();
        var second = DatasetLoader.Load("synthetic-small", dir.Path, DataOptions.Default, cache, log.Add);
        Assert.Contains(log, l => l.Contains("ignoring cache"));
        DatasetAssert.SameArrays(first, second);

        log.Clear();
        DatasetLoader.Load("synthetic-small", dir.Path, DataOptions.Default, cache, log.Add);
        Assert.Contains(log, l => l.Contains("loaded from cache"));
    }
}
