using Unlearning.Tests.Shared;
using Unlearning.Data;
using Unlearning.Experiments;

namespace Unlearning.Tests.Data;

public class FormatTests
{
    [Fact]
    public void Custom_csv_with_headers_quotes_dates_and_a_named_attribute_column()
    {
        using var dir = new TempFolder();
        var interactions = "user_id,item_id,timestamp\n" +
                           "alice,\"song a\",2020-01-01T10:00:00Z\n" +
                           "alice,song b,2020-01-02 10:00:00\n" +
                           "bob,song a,1577872800\n" +
                           TinyData.Background();
        var attributes = "user,age,gender\nalice,30,f\n\"bob\",40,m\n900,1,m\n901,2,f\n";
        dir.Write("mine/interactions.csv", interactions);
        dir.Write("mine/attributes.csv", attributes);

        var raw = CustomCsvReader.Read(dir.Sub("mine"), "Gender");
        Assert.Equal(3 + 220, raw.Count);
        Assert.NotNull(raw.Timestamps);
        Assert.Equal(new DateTimeOffset(2020, 1, 2, 10, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), raw.Timestamps![1]);
        Assert.True(raw.ItemIds.TryGet("song a", out _));

        var data = DatasetLoader.Load("mine", dir.Path, new DataOptions { MinInteractions = 1, AttributeColumn = "gender" });
        Assert.Equal("mine", data.Name);
        Assert.Equal(4, data.NumUsers);
        Assert.Equal(["f", "m"], data.GroupValues); // 2 and 2: ordinal order
        // Users in ordinal order: 900, 901, alice, bob. Alice's latest is "song b".
        Assert.Equal(TinyData.ItemIndex(raw, "song b"), data.TestItems[2]);
    }

    [Fact]
    public void Custom_csv_quoted_fields_keep_their_commas_quotes_and_line_breaks()
    {
        using var dir = new TempFolder();
        var attributes = "user,status\n" +
                         "alice,\"F, student\"\n" +
                         "bob,\"M \"\"retired\"\"\"\n" +
                         "carol,\"F,\nmoved\"\n" +
                         "900,x\n901,y\n";
        var raw = TinyData.Read(dir, "alice,1,1\nbob,1,1\ncarol,\"item, deluxe\",1\n" + TinyData.Background(), attributes, attributeColumn: "status");
        Assert.Equal("F, student", raw.UserAttributes[Index(raw, "alice")]);
        Assert.Equal("M \"retired\"", raw.UserAttributes[Index(raw, "bob")]);
        Assert.Equal("F,\nmoved", raw.UserAttributes[Index(raw, "carol")]);
        Assert.True(raw.ItemIds.TryGet("item, deluxe", out _));
    }

    private static int Index(RawDataset raw, string user)
    {
        Assert.True(raw.UserIds.TryGet(user, out var index), $"no user {user}");
        return index;
    }

    [Fact]
    public void Custom_csv_malformed_quotes_name_the_line_after_a_multi_line_field()
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<DataFormatException>(() =>
            TinyData.Read(dir, "1,5,1\n", "1,\"two\nlines\"\n2,M\n3,F\"oops\n"));
        Assert.Equal(4, e.Line);
        Assert.Contains("attributes.csv line 4", e.Message);
        Assert.Contains("quote", e.Message);

        e = Assert.Throws<DataFormatException>(() => TinyData.Read(dir, "1,5,1\n", "1,\"a\nb\"\n1,F\n"));
        Assert.Equal(3, e.Line);
        Assert.Contains("listed more than once", e.Message);
    }

    [Fact]
    public void Custom_default_threshold_is_5()
    {
        Assert.Equal(5, DatasetLoader.Resolve("anything", DataOptions.Default).MinInteractions);
        Assert.Equal(5, DatasetLoader.Resolve("ml-100k", DataOptions.Default).MinItemInteractions);
        Assert.Equal(120, DatasetLoader.Resolve("lfm-2b", DataOptions.Default).MinInteractions);
        Assert.Equal(5, DatasetLoader.Resolve("lfm-2b", DataOptions.Default).MinItemInteractions);
        Assert.Equal(120, DatasetLoader.Resolve("lfm-2b-synthetic", DataOptions.Default).MinInteractions);
        Assert.Equal(5, DatasetLoader.Resolve("synthetic-small", DataOptions.Default).MinInteractions);
        Assert.Equal(7, DatasetLoader.Resolve("ml-1m", new DataOptions { MinInteractions = 7 }).MinItemInteractions);
    }

    [Fact]
    public void Lfm2b_reader_reads_the_generators_files_and_gives_the_same_dataset()
    {
        using var dir = new TempFolder();
        var generated = SyntheticGenerator.Generate(SyntheticOptions.Small);
        SyntheticGenerator.WriteLfm2bFiles(generated, dir.Sub("lfm-2b"));

        var raw = Lfm2bReader.Read(dir.Sub("lfm-2b"));
        Assert.Equal(generated.Count, raw.Count);
        Assert.Equal(generated.Timestamps, raw.Timestamps);
        Assert.Equal(generated.UserAttributes, raw.UserAttributes);
        for (int k = 0; k < raw.Count; k++)
        {
            Assert.Equal(generated.UserIds.KeyOf(generated.Users[k]), raw.UserIds.KeyOf(raw.Users[k]));
            Assert.Equal(generated.ItemIds.KeyOf(generated.Items[k]), raw.ItemIds.KeyOf(raw.Items[k]));
        }

        var options = new DataOptions { MinInteractions = 5, MinItemInteractions = 5 };
        var fromFiles = DatasetLoader.Load("lfm-2b", dir.Path, options);
        var fromMemory = DatasetLoader.Load("synthetic-small", dir.Path, options);
        DatasetAssert.SameArrays(fromMemory, fromFiles);
        Assert.Equal(["m", "f"], fromFiles.GroupValues);
    }

    [Fact]
    public void Lfm2b_accepts_no_header_no_timestamps_zero_counts_and_unknown_gender()
    {
        using var dir = new TempFolder();
        dir.Write("users.tsv", "1\tUS\t20\tm\t0\n2\tDE\t30\tF\t0\n3\tSE\t25\t\t0\n4\tSE\t25\tn\t0\n");
        dir.Write("interactions.tsv", "1\t5\t3\n1\t6\t0\n2\t5\t1\n3\t5\t2\n");
        var raw = Lfm2bReader.Read(dir.Path);
        Assert.Null(raw.Timestamps);
        Assert.Equal(3, raw.Count);
        Assert.Equal("m,f,,", string.Join(",", raw.UserAttributes));
    }
}

internal static class DatasetAssert
{
    public static void SameArrays(PreparedDataset expected, PreparedDataset actual)
    {
        Assert.Equal(expected.NumUsers, actual.NumUsers);
        Assert.Equal(expected.NumItems, actual.NumItems);
        Assert.Equal(expected.TrainOffsets, actual.TrainOffsets);
        Assert.Equal(expected.TrainItems, actual.TrainItems);
        Assert.Equal(expected.TestItems, actual.TestItems);
        Assert.Equal(expected.TestCandidates, actual.TestCandidates);
        Assert.Equal(expected.UserGroup, actual.UserGroup);
        Assert.Equal(expected.GroupValues, actual.GroupValues);
    }
}
