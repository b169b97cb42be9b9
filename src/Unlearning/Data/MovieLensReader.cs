namespace Unlearning.Data;

/// <summary>Reads a MovieLens users file (the private attribute: gender M/F by default, or age or
/// occupation) and ratings file (user, item, rating, unix time).</summary>
public static class MovieLensReader
{
    /// <summary>The attributes a MovieLens users file offers.</summary>
    public static readonly string[] Attributes = ["gender", "age", "occupation"];

    /// <summary>ML-1M's age codes, each the lower bound of its range ("1": under 18, "56": 56 and over).</summary>
    private static readonly int[] AgeCodes = [1, 18, 25, 35, 45, 50, 56];

    /// <summary>An age in years as ML-1M's code: the largest code not above it (under 18: "1").</summary>
    public static string AgeCode(long years) => AgeCodes.Last(c => c <= Math.Max(years, 1)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Age(TextRecords lines, ReadOnlySpan<char> field, bool isCode)
    {
        long value = lines.ParseInteger(field, isCode ? "age code" : "age");
        if (isCode && !AgeCodes.Contains((int)value))
            throw lines.Error(field.ToString(), $"unknown age code '{value}' (expected one of {string.Join(", ", AgeCodes)})");
        if (value < 0 || value > 150) throw lines.Error(field.ToString(), $"age {value} is not an age in years");
        return AgeCode(value);
    }

    /// <param name="attribute">gender (null: the paper's), age (ML-1M's seven codes; ML-100K's ages bucketed the same way) or occupation (as given).</param>
    public static RawDataset Read(string directory, MovieLensFormat format, string? attribute = null)
    {
        attribute ??= "gender";
        if (!Attributes.Contains(attribute))
            throw new ArgumentException($"unknown attribute '{attribute}' for a MovieLens dataset (expected {string.Join(", ", Attributes)})");
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
                builder.SetAttribute(lines, user, attribute switch
                {
                    "age" => Age(lines, line[fields[format.AgeColumn]], format.AgesAreCodes),
                    "occupation" => line[fields[format.OccupationColumn]].Trim().ToString() is { Length: > 0 } occupation ? occupation
                        : throw lines.Error("", "empty occupation"),
                    _ => GenderCode.ParseUpper(lines, line[fields[format.GenderColumn]]),
                });
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
