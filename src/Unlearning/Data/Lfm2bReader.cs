namespace Unlearning.Data;

/// <summary>
/// LFM-2B (demographic sample) in tab-separated files, each with an optional header line:
/// <c>interactions.tsv</c> = user \t track \t count [\t timestamp] and
/// <c>users.tsv</c> = user \t country \t age \t gender [\t creation time], gender m/f.
/// Every row with a positive count is one positive; rows with count 0 are skipped. Timestamps
/// are unix seconds or dates; the first data row decides whether the file has them. A gender of
/// "n" or empty means not given: the user is dropped in preprocessing.
/// </summary>
public static class Lfm2bReader
{
    public const string InteractionsFileName = "interactions.tsv";
    public const string UsersFileName = "users.tsv";

    public static RawDataset Read(string directory)
    {
        var usersPath = Path.Combine(directory, UsersFileName);
        var interactionsPath = Path.Combine(directory, InteractionsFileName);
        var builder = new RawDatasetBuilder(numericIds: true, capacity: 1 << 16);
        Span<Range> fields = stackalloc Range[6];

        using (var lines = DelimitedLines.Open(usersPath))
        {
            int header = 0;
            while (lines.Next())
            {
                var line = lines.Current.AsSpan();
                int n = line.Split(fields, '\t');
                if (lines.IsFirst && !DelimitedLines.IsInteger(line[fields[0]])) { header = 1; continue; }
                if (n < 4) throw lines.MissingColumns(4, "user \\t country \\t age \\t gender [\\t time]", n);
                int user = builder.UserIds.GetOrAdd(lines.ParseId(line[fields[0]], "user id"));
                builder.SetAttribute(lines, user, GenderCode.ParseLower(lines, line[fields[3]]));
            }
            lines.RequireData(header);
        }

        using (var lines = DelimitedLines.Open(interactionsPath))
        {
            int header = 0;
            bool? timed = null;
            while (lines.Next())
            {
                var line = lines.Current.AsSpan();
                int n = line.Split(fields, '\t');
                if (lines.IsFirst && !DelimitedLines.IsInteger(line[fields[0]])) { header = 1; continue; }
                if (n < 3) throw lines.MissingColumns(3, "user \\t track \\t count [\\t timestamp]", n);
                bool hasTime = n >= 4 && !line[fields[3]].Trim().IsEmpty;
                timed ??= hasTime;
                if (hasTime != timed)
                    throw lines.Error(lines.Current, timed.Value
                        ? "missing timestamp (the first data row has one)"
                        : "unexpected timestamp (the first data row has none)");
                long user = lines.ParseId(line[fields[0]], "user id");
                long item = lines.ParseId(line[fields[1]], "track id");
                long count = lines.ParseInteger(line[fields[2]], "play count");
                if (count < 0) throw lines.Error(line[fields[2]].Trim().ToString(), $"negative play count '{line[fields[2]].Trim()}'");
                long? time = hasTime ? lines.ParseTimestamp(line[fields[3]], allowDates: true) : null;
                if (count == 0) continue;
                builder.AddInteraction(builder.UserIds.GetOrAdd(user), builder.ItemIds.GetOrAdd(item), time);
            }
            lines.RequireData(header);
        }

        return builder.Build(interactionsPath, usersPath);
    }
}
