namespace Unlearning.Data;

/// <summary>MovieLens 100K: <c>u.data</c> (user \t item \t rating \t unix time) and
/// <c>u.user</c> (id|age|gender|occupation|zip, gender M/F).</summary>
public static class MovieLens100KReader
{
    public const string RatingsFileName = "u.data";
    public const string UsersFileName = "u.user";

    public static RawDataset Read(string directory)
    {
        var usersPath = Path.Combine(directory, UsersFileName);
        var ratingsPath = Path.Combine(directory, RatingsFileName);
        var builder = new RawDatasetBuilder(numericIds: true, capacity: 100_000);
        Span<Range> fields = stackalloc Range[6];

        using (var lines = DelimitedLines.Open(usersPath))
        {
            while (lines.Next())
            {
                var line = lines.Current.AsSpan();
                int n = line.Split(fields, '|');
                if (n < 5) throw lines.MissingColumns(5, "id|age|gender|occupation|zip", n);
                int user = builder.UserIds.GetOrAdd(lines.ParseId(line[fields[0]], "user id"));
                builder.SetAttribute(lines, user, GenderCode.ParseUpper(lines, line[fields[2]]));
            }
            lines.RequireData();
        }

        using (var lines = DelimitedLines.Open(ratingsPath))
        {
            while (lines.Next())
            {
                var line = lines.Current.AsSpan();
                int n = line.Split(fields, '\t');
                if (n < 4) throw lines.MissingColumns(4, "user \\t item \\t rating \\t time", n);
                int user = builder.UserIds.GetOrAdd(lines.ParseId(line[fields[0]], "user id"));
                int item = builder.ItemIds.GetOrAdd(lines.ParseId(line[fields[1]], "item id"));
                builder.AddInteraction(user, item, lines.ParseTimestamp(line[fields[3]], allowDates: false));
            }
            lines.RequireData();
        }

        return builder.Build(ratingsPath, usersPath);
    }
}
