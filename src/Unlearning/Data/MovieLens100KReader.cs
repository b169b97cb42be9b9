namespace Unlearning.Data;

/// <summary>MovieLens 100K: <c>u.data</c> (user \t item \t rating \t unix time) and
/// <c>u.user</c> (id|age|gender|occupation|zip, gender M/F).</summary>
public static class MovieLens100KReader
{
    public const string RatingsFileName = "u.data";
    public const string UsersFileName = "u.user";

    private static readonly MovieLensFormat Format = new(
        RatingsFileName, "\t", "user \\t item \\t rating \\t time",
        UsersFileName, "|", "id|age|gender|occupation|zip",
        GenderColumn: 2, AgeColumn: 1, OccupationColumn: 3, AgesAreCodes: false, ExpectedRatings: 100_000);

    public static RawDataset Read(string directory, string? attribute = null) => MovieLensReader.Read(directory, Format, attribute);
}
