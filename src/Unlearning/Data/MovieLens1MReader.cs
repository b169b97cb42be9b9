namespace Unlearning.Data;

/// <summary>MovieLens 1M: <c>ratings.dat</c> (user::item::rating::time) and
/// <c>users.dat</c> (id::gender::age::occupation::zip, gender M/F).</summary>
public static class MovieLens1MReader
{
    public const string RatingsFileName = "ratings.dat";
    public const string UsersFileName = "users.dat";

    private static readonly MovieLensFormat Format = new(
        RatingsFileName, "::", "user::item::rating::time",
        UsersFileName, "::", "id::gender::age::occupation::zip",
        GenderColumn: 1, AgeColumn: 2, OccupationColumn: 3, AgesAreCodes: true, ExpectedRatings: 1_000_209);

    public static RawDataset Read(string directory, string? attribute = null) => MovieLensReader.Read(directory, Format, attribute);
}
