using Unlearning.Tests.Shared;
using System.Text;
using Unlearning.Data;

namespace Unlearning.Tests.Data;

/// <summary>Small hand-written datasets in the custom CSV format.</summary>
internal static class TinyData
{
    /// <summary>
    /// Two background users (900: M, 901: F) with 110 distinct items each (ids 1000..1219, time 1),
    /// so that every user has 99 unseen items for the test candidates and both groups exist.
    /// </summary>
    public static string Background()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 110; i++) sb.Append($"900,{1000 + i},1\n");
        for (int i = 0; i < 110; i++) sb.Append($"901,{1110 + i},1\n");
        return sb.ToString();
    }

    public const string BackgroundAttributes = "900,M\n901,F\n";

    /// <summary>Writes interactions.csv and attributes.csv into dir/name and reads them back.</summary>
    public static RawDataset Read(TempFolder dir, string interactions, string attributes, string name = "custom", string? attributeColumn = null)
    {
        dir.Write($"{name}/interactions.csv", interactions);
        dir.Write($"{name}/attributes.csv", attributes);
        return CustomCsvReader.Read(dir.Sub(name), attributeColumn);
    }

    public static PreprocessResult Prepare(RawDataset raw, int minInteractions = 1, int seed = 2023) =>
        Preprocessor.Run(raw, new DataOptions { MinInteractions = minInteractions, Seed = seed }, "tiny");

    /// <summary>The new user index of a raw id (re-indexing is ascending raw id).</summary>
    public static int UserIndex(RawDataset raw, string id)
    {
        Assert.True(raw.UserIds.TryGet(id, out var rawIndex), $"no user {id}");
        return raw.UserIds.AscendingOrder().AsSpan().IndexOf(rawIndex);
    }

    public static int ItemIndex(RawDataset raw, string id)
    {
        Assert.True(raw.ItemIds.TryGet(id, out var rawIndex), $"no item {id}");
        return raw.ItemIds.AscendingOrder().AsSpan().IndexOf(rawIndex);
    }
}
