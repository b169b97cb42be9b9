using Unlearning.Tests.Shared;
using Unlearning.Data;
using Unlearning.Experiments;

namespace Unlearning.Tests.Data;

/// <summary>Every bad input names its file, line and value.</summary>
public class ReaderErrorTests
{
    private const string GoodUsers100K = "1|24|M|technician|85711\n2|53|F|other|94043\n";
    private const string GoodRatings100K = "1\t10\t3\t881250949\n2\t10\t4\t881250950\n";

    private static DataFormatException Ml100K(string ratings, string users)
    {
        using var dir = new TempFolder();
        dir.Write("u.data", ratings);
        dir.Write("u.user", users);
        return Assert.Throws<DataFormatException>(() => MovieLens100KReader.Read(dir.Path));
    }

    private static void AssertNames(DataFormatException e, string file, int? line, string? value)
    {
        Assert.EndsWith(file, e.File);
        Assert.Equal(line, e.Line);
        Assert.Equal(value, e.Value);
        Assert.StartsWith(line is null ? $"{file}: " : $"{file} line {line}: ", e.Message);
        Assert.EndsWith($"[{e.File}]", e.Message);
        if (value is { Length: > 0 }) Assert.Contains($"'{value}'", e.Message);
    }

    [Fact]
    public void Unknown_gender_code()
    {
        var e = Ml100K(GoodRatings100K, GoodUsers100K + "3|30|X|writer|12345\n");
        AssertNames(e, "u.user", 3, "X");
        Assert.Contains("unknown gender code 'X' (expected M or F)", e.Message);
    }

    [Fact]
    public void Non_numeric_user_id() => AssertNames(Ml100K(GoodRatings100K, "1|24|M|a|1\nabc|20|F|b|2\n"), "u.user", 2, "abc");

    [Fact]
    public void Non_numeric_item_id() => AssertNames(Ml100K("1\t10\t3\t5\n1\tx7\t3\t5\n", GoodUsers100K), "u.data", 2, "x7");

    [Fact]
    public void Non_numeric_timestamp() => AssertNames(Ml100K("1\t10\t3\t5\n\n2\t11\t3\tsoon\n", GoodUsers100K), "u.data", 3, "soon");

    [Fact]
    public void Missing_columns()
    {
        var e = Ml100K("1\t10\t3\t5\n2\t11\n", GoodUsers100K);
        AssertNames(e, "u.data", 2, "2\t11");
        Assert.Contains("expected 4 fields", e.Message);
    }

    [Fact]
    public void Truncated_file_cut_mid_line()
    {
        var e = Ml100K("1\t10\t3\t881250949\n2\t1", GoodUsers100K);
        AssertNames(e, "u.data", 2, "2\t1");
        Assert.Contains("expected 4 fields", e.Message);
    }

    [Fact]
    public void Wrong_delimiter()
    {
        var e = Ml100K("1,10,3,881250949\n", GoodUsers100K);
        AssertNames(e, "u.data", 1, "1,10,3,881250949");
        Assert.Contains("expected 4 fields (user \\t item \\t", e.Message);
        Assert.Contains("found 1", e.Message);
    }

    /// <summary>A Latin-1 byte far into the file (past the reader's decoding buffer) is named with its own line.</summary>
    [Fact]
    public void Non_utf8_bytes_name_their_line()
    {
        using var dir = new TempFolder();
        dir.Write("u.data", GoodRatings100K);
        var users = new System.Text.StringBuilder();
        for (int u = 1; u <= 5000; u++) users.Append($"{u}|24|M|technician|85711\n");
        var bytes = System.Text.Encoding.ASCII.GetBytes(users.ToString()).Concat("5001|30|F|"u8.ToArray()).Concat(new byte[] { 0xE9 }).Concat("crivain|1\n"u8.ToArray()).ToArray();
        File.WriteAllBytes(System.IO.Path.Combine(dir.Path, "u.user"), bytes);
        var e = Assert.Throws<DataFormatException>(() => MovieLens100KReader.Read(dir.Path));
        AssertNames(e, "u.user", 5001, "E9");
        Assert.Contains("is not UTF-8 text", e.Message);
    }

    [Fact]
    public void Empty_file() => AssertNames(Ml100K("\n\n", GoodUsers100K), "u.data", null, null);

    [Fact]
    public void Duplicate_user() => AssertNames(Ml100K(GoodRatings100K, GoodUsers100K + "1|30|F|x|1\n"), "u.user", 3, "1");

    [Fact]
    public void Missing_file()
    {
        using var dir = new TempFolder();
        dir.Write("u.user", GoodUsers100K);
        var e = Assert.Throws<DataFormatException>(() => MovieLens100KReader.Read(dir.Path));
        AssertNames(e, "u.data", null, null);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void Missing_file_through_the_loader_says_how_to_get_it()
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Load("ml-100k", dir.Path, DataOptions.Default));
        Assert.Equal(Path.Combine(dir.Path, "ml-100k", "u.data"), e.File);
        Assert.Contains("data fetch ml-100k", e.Message);
        Assert.Contains("https://files.grouplens.org/datasets/movielens/ml-100k.zip", e.Message);

        var lfm = Assert.Throws<DataFormatException>(() => DatasetLoader.Load("lfm-2b", dir.Path, DataOptions.Default));
        Assert.Contains("not publicly downloadable", lfm.Message);
        Assert.Contains("lfm-2b-synthetic", lfm.Message);
    }

    [Fact]
    public void Unknown_dataset_without_folder()
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Load("no-such-set", dir.Path, DataOptions.Default));
        Assert.Equal("no-such-set", e.Value);
        Assert.Contains("interactions.csv", e.Message);
    }

    [Fact]
    public void Ml1m_unknown_gender_and_missing_columns()
    {
        using var dir = new TempFolder();
        dir.Write("users.dat", "1::F::1::10::48067\n2::Q::56::16::70072\n");
        dir.Write("ratings.dat", "1::1193::5::978300760\n");
        var e = Assert.Throws<DataFormatException>(() => MovieLens1MReader.Read(dir.Path));
        AssertNames(e, "users.dat", 2, "Q");

        dir.Write("users.dat", "1::F::1::10::48067\n");
        dir.Write("ratings.dat", "1::1193::5::978300760\n1::1194::5\n");
        AssertNames(Assert.Throws<DataFormatException>(() => MovieLens1MReader.Read(dir.Path)), "ratings.dat", 2, "1::1194::5");
    }

    [Fact]
    public void Lfm_unknown_gender_and_inconsistent_timestamps()
    {
        using var dir = new TempFolder();
        dir.Write("users.tsv", "user_id\tcountry\tage\tgender\tcreation_time\n1\tUS\t20\tm\t0\n2\tDE\t30\tz\t0\n");
        dir.Write("interactions.tsv", "1\t5\t3\n");
        AssertNames(Assert.Throws<DataFormatException>(() => Lfm2bReader.Read(dir.Path)), "users.tsv", 3, "z");

        dir.Write("users.tsv", "1\tUS\t20\tm\t0\n2\tDE\t30\tf\t0\n");
        dir.Write("interactions.tsv", "user\ttrack\tcount\ttimestamp\n1\t5\t3\t100\n2\t5\t3\n");
        var e = Assert.Throws<DataFormatException>(() => Lfm2bReader.Read(dir.Path));
        Assert.Equal(3, e.Line);
        Assert.Contains("missing timestamp", e.Message);

        dir.Write("interactions.tsv", "1\t5\tmany\n");
        AssertNames(Assert.Throws<DataFormatException>(() => Lfm2bReader.Read(dir.Path)), "interactions.tsv", 1, "many");

        dir.Write("interactions.tsv", "user\ttrack\tcount\n");
        AssertNames(Assert.Throws<DataFormatException>(() => Lfm2bReader.Read(dir.Path)), "interactions.tsv", null, null);
    }

    [Fact]
    public void Custom_missing_attribute_column_and_bad_timestamp()
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<DataFormatException>(() =>
            TinyData.Read(dir, "1,5,1\n", "user,gender,age\n1,M,20\n", attributeColumn: "country"));
        AssertNames(e, "attributes.csv", 1, "country");

        e = Assert.Throws<DataFormatException>(() => TinyData.Read(dir, "1,5,1\n2,5,yesterday-ish\n", "1,M\n2,F\n"));
        AssertNames(e, "interactions.csv", 2, "yesterday-ish");

        e = Assert.Throws<DataFormatException>(() => TinyData.Read(dir, "1\n", "1,M\n"));
        AssertNames(e, "interactions.csv", 1, "1");
    }
}
