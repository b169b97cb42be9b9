namespace Unlearning.Data;

/// <summary>Where the MovieLens releases differ: file names, separators and the gender column.</summary>
public sealed record MovieLensFormat(
    string RatingsFileName, string RatingsSeparator, string RatingsLayout,
    string UsersFileName, string UsersSeparator, string UsersLayout,
    int GenderColumn, int ExpectedRatings);

/// <summary>Reads a MovieLens users file (gender M/F) and ratings file (user, item, rating, unix time).</summary>
public static class MovieLensReader
{
    public static RawDataset Read(string directory, MovieLensFormat format)
    {
        var usersPath = Path.Combine(directory, format.UsersFileName);
        var ratingsPath = Path.Combine(directory, format.RatingsFileName);
        var builder = new RawDatasetBuilder(numericIds: true, capacity: format.ExpectedRatings);
        Span<Range> fields = stackalloc Range[6];

        using (var lines = DelimitedLines.Open(usersPath))
        {
            while (lines.Next())
            {
                var line = lines.Current.AsSpan();
                int n = line.Split(fields, format.UsersSeparator);
                if (n < 5) throw lines.MissingColumns(5, format.UsersLayout, n);
                int user = builder.UserIds.GetOrAdd(lines.ParseId(line[fields[0]], "user id"));
                builder.SetAttribute(lines, user, GenderCode.ParseUpper(lines, line[fields[format.GenderColumn]]));
            }
            lines.RequireData();
        }

        using (var lines = DelimitedLines.Open(ratingsPath))
        {
            while (lines.Next())
            {
                var line = lines.Current.AsSpan();
                int n = line.Split(fields, format.RatingsSeparator);
                if (n < 4) throw lines.MissingColumns(4, format.RatingsLayout, n);
                int user = builder.UserIds.GetOrAdd(lines.ParseId(line[fields[0]], "user id"));
                int item = builder.ItemIds.GetOrAdd(lines.ParseId(line[fields[1]], "item id"));
                builder.AddInteraction(user, item, lines.ParseTimestamp(line[fields[3]], allowDates: false));
            }
            lines.RequireData();
        }

        return builder.Build(ratingsPath, usersPath);
    }
}

/// <summary>MovieLens 100K: <c>u.data</c> (user \t item \t rating \t unix time) and
/// <c>u.user</c> (id|age|gender|occupation|zip, gender M/F).</summary>
public static class MovieLens100KReader
{
    public const string RatingsFileName = "u.data";
    public const string UsersFileName = "u.user";

    private static readonly MovieLensFormat Format = new(
        RatingsFileName, "\t", "user \\t item \\t rating \\t time",
        UsersFileName, "|", "id|age|gender|occupation|zip",
        GenderColumn: 2, ExpectedRatings: 100_000);

    public static RawDataset Read(string directory) => MovieLensReader.Read(directory, Format);
}

/// <summary>MovieLens 1M: <c>ratings.dat</c> (user::item::rating::time) and
/// <c>users.dat</c> (id::gender::age::occupation::zip, gender M/F).</summary>
public static class MovieLens1MReader
{
    public const string RatingsFileName = "ratings.dat";
    public const string UsersFileName = "users.dat";

    private static readonly MovieLensFormat Format = new(
        RatingsFileName, "::", "user::item::rating::time",
        UsersFileName, "::", "id::gender::age::occupation::zip",
        GenderColumn: 1, ExpectedRatings: 1_000_209);

    public static RawDataset Read(string directory) => MovieLensReader.Read(directory, Format);
}
