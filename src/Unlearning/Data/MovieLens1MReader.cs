namespace Unlearning.Data;

/// <summary>MovieLens 1M: <c>ratings.dat</c> (user::item::rating::time) and
/// <c>users.dat</c> (id::gender::age::occupation::zip, gender M/F).</summary>
public static class MovieLens1MReader
{
    public const string RatingsFileName = "ratings.dat";
    public const string UsersFileName = "users.dat";

    public static RawDataset Read(string directory)
    {
        var usersPath = Path.Combine(directory, UsersFileName);
        var ratingsPath = Path.Combine(directory, RatingsFileName);
        var builder = new RawDatasetBuilder(numericIds: true, capacity: 1_000_209);
        Span<Range> fields = stackalloc Range[6];

        using (var lines = DelimitedLines.Open(usersPath))
        {
            while (lines.Next())
            {
                var line = lines.Current.AsSpan();
                int n = line.Split(fields, "::");
                if (n < 5) throw lines.MissingColumns(5, "id::gender::age::occupation::zip", n);
                int user = builder.UserIds.GetOrAdd(lines.ParseId(line[fields[0]], "user id"));
                builder.SetAttribute(lines, user, GenderCode.ParseUpper(lines, line[fields[1]]));
            }
            lines.RequireData();
        }

        using (var lines = DelimitedLines.Open(ratingsPath))
        {
            while (lines.Next())
            {
                var line = lines.Current.AsSpan();
                int n = line.Split(fields, "::");
                if (n < 4) throw lines.MissingColumns(4, "user::item::rating::time", n);
                int user = builder.UserIds.GetOrAdd(lines.ParseId(line[fields[0]], "user id"));
                int item = builder.ItemIds.GetOrAdd(lines.ParseId(line[fields[1]], "item id"));
                builder.AddInteraction(user, item, lines.ParseTimestamp(line[fields[3]], allowDates: false));
            }
            lines.RequireData();
        }

        return builder.Build(ratingsPath, usersPath);
    }
}
