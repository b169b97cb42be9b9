using Unlearning.Experiments;

namespace Unlearning.Grains.Tests;

public sealed class CellGrainKeyTests
{
    /// <summary>A cell's grain key parses back to the cell, whatever its names hold; keys of names
    /// without '/' or '%' are as they always were (running grids keep their cells).</summary>
    [Theory]
    [InlineData("ml-100k", "paper")]
    [InlineData("my-data", "paper;data.attribute_column=age/group")]
    [InlineData("my-data", "paper;data.attribute_column=100%/x%2Fy")]
    public void AGrainKeyRoundTrips(string dataset, string profile)
    {
        var cell = new CellSpec(dataset, "ncf", "d2d", profile, 2024);
        var key = CellGrainKey.Of("run-1", cell);
        Assert.Equal(("run-1", cell), CellGrainKey.Parse(key));
        Assert.Equal(6, key.Split('/').Length);
        if (!profile.Contains('/') && !profile.Contains('%')) Assert.Equal($"run-1/{dataset}/ncf/d2d/{profile}/2024", key);
        Assert.Throws<ArgumentException>(() => CellGrainKey.Parse("run-1/ml-100k/ncf"));
    }
}
