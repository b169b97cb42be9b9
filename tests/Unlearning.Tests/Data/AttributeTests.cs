using Unlearning.Tests.Shared;
using Unlearning.Data;
using Unlearning.Experiments;

namespace Unlearning.Tests.Data;

/// <summary>--attribute for MovieLens: gender (the paper's), age as ML-1M's seven codes (ML-100K's ages
/// bucketed the same way) or occupation as given; bad values and names are errors naming them.</summary>
public class AttributeTests
{
    private static string Ml100K(TempFolder dir, string users)
    {
        dir.Write("ml-100k/u.user", users);
        dir.Write("ml-100k/u.data", "1\t10\t5\t100\n2\t10\t4\t100\n3\t11\t3\t100\n4\t12\t3\t100\n");
        return dir.Sub("ml-100k");
    }

    [Fact]
    public void ML100K_ages_are_bucketed_into_ML1M_codes_and_occupations_kept()
    {
        using var dir = new TempFolder();
        var folder = Ml100K(dir, "1|17|M|student|1\n2|18|F|artist|2\n3|44|M|engineer|3\n4|56|F|retired|4\n");
        Assert.Equal(["1", "18", "35", "56"], MovieLens100KReader.Read(folder, "age").UserAttributes.Select(v => v!).ToArray());
        Assert.Equal(["student", "artist", "engineer", "retired"], MovieLens100KReader.Read(folder, "occupation").UserAttributes.Select(v => v!).ToArray());
        Assert.Equal(["M", "F", "M", "F"], MovieLens100KReader.Read(folder).UserAttributes.Select(v => v!).ToArray());
        Assert.Equal(["1", "18", "18", "25", "35", "45", "50", "56", "56"], new long[] { 5, 18, 24, 25, 35, 49, 55, 56, 73 }.Select(MovieLensReader.AgeCode));
    }

    [Fact]
    public void ML1M_age_codes_are_checked()
    {
        using var dir = new TempFolder();
        dir.Write("ml-1m/users.dat", "1::F::1::10::48067\n2::M::56::16::70072\n");
        dir.Write("ml-1m/ratings.dat", "1::1193::5::978300760\n2::1193::5::978300760\n");
        Assert.Equal(["1", "56"], MovieLens1MReader.Read(dir.Sub("ml-1m"), "age").UserAttributes.Select(v => v!).ToArray());
        Assert.Equal(["10", "16"], MovieLens1MReader.Read(dir.Sub("ml-1m"), "occupation").UserAttributes.Select(v => v!).ToArray());

        dir.Write("ml-1m/users.dat", "1::F::1::10::48067\n2::M::30::16::70072\n");
        var e = Assert.Throws<DataFormatException>(() => MovieLens1MReader.Read(dir.Sub("ml-1m"), "age"));
        Assert.Contains("users.dat line 2: unknown age code '30' (expected one of 1, 18, 25, 35, 45, 50, 56)", e.Message);
    }

    [Fact]
    public void An_unknown_attribute_or_a_bad_age_is_named()
    {
        using var dir = new TempFolder();
        var folder = Ml100K(dir, "1|17|M|student|1\n2|x|F|artist|2\n3|44|M|engineer|3\n4|56|F|retired|4\n");
        Assert.Contains("unknown attribute 'zip' for a MovieLens dataset (expected gender, age, occupation)",
            Assert.Throws<ArgumentException>(() => MovieLens100KReader.Read(folder, "zip")).Message);
        Assert.Contains("u.user line 2: non-numeric age 'x'", Assert.Throws<DataFormatException>(() => MovieLens100KReader.Read(folder, "age")).Message);
    }

    /// <summary>On the real ML-100K (skipped where ../shared/data is absent): seven age groups, each of
    /// at least the users the attack's folds need.</summary>
    [Fact]
    public void ML100K_by_age_has_seven_groups()
    {
        var dataDir = RepoPaths.SharedData;
        if (dataDir is null || !File.Exists(Path.Combine(dataDir, "ml-100k", "u.user")))
            Assert.Skip("../shared/data/ml-100k is absent");
        var data = DatasetLoader.Load("ml-100k", dataDir, new DataOptions { AttributeColumn = "age" });
        Assert.Equal(7, data.NumGroups);
        Assert.Equal(["1", "18", "25", "35", "45", "50", "56"], data.GroupValues.Order(StringComparer.Ordinal).OrderBy(int.Parse));
        Assert.All(data.GroupSizes(), n => Assert.True(n >= 5, $"a group of {n}"));
    }
}
