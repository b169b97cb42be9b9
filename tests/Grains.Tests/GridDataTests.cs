using Unlearning.Tests.Shared;
namespace Unlearning.Grains.Tests;

/// <summary>An embedded grid's data checked before it plans or runs: what it downloads or replaces
/// is a warning, what it can neither read nor download is refused, naming the folder.</summary>
public sealed class GridDataTests
{
    [Fact]
    public void MissingDataIsAWarningWhereTheGridCanGetItAndAnErrorWhereItCannot()
    {
        using var temp = new TempFolder("grid-data-");
        var dir = temp.Path;
        var warnings = GridData.Check(["all"], dir);
        Assert.Equal(3, warnings.Count);
        Assert.Contains(warnings, w => w.StartsWith("lfm-2b: ", StringComparison.Ordinal) && w.Contains("LFM-2B (synthetic)", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("ml-1m: ", StringComparison.Ordinal) && w.EndsWith("The grid tries that download first; offline, its cells fail", StringComparison.Ordinal));
        Assert.Empty(GridData.Check(["synthetic-small"], dir));

        Assert.StartsWith($"ml100k: unknown dataset 'ml100k': expected one of ml-100k", Assert.Throws<ArgumentException>(() => GridData.Check(["ml100k"], dir)).Message);
        Directory.CreateDirectory(Path.Combine(dir, "mine"));
        Assert.StartsWith($"mine: {Path.Combine(dir, "mine", "interactions.csv")} and {Path.Combine(dir, "mine", "attributes.csv")} not found",
            Assert.Throws<ArgumentException>(() => GridData.Check(["mine"], dir)).Message);
    }
}
