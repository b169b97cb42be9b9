namespace Unlearning.Data;

/// <summary>
/// A custom dataset: <c>interactions.csv</c> = user,item[,timestamp] and
/// <c>attributes.csv</c> = user,value. Ids are arbitrary text. A first line is a header when its
/// first field is a user-column name (user, user_id, userid, uid, id; any case); with
/// <see cref="DataOptions.AttributeColumn"/> the attributes header is required and names the
/// column to use. Fields are trimmed and may be wrapped in double quotes (no embedded commas).
/// Timestamps are unix seconds or dates; the first data row decides whether there are any. An
/// empty attribute value means none: that user is dropped in preprocessing.
/// </summary>
public static class CustomCsvReader
{
    public const string InteractionsFileName = "interactions.csv";
    public const string AttributesFileName = "attributes.csv";

    public static RawDataset Read(string directory, string? attributeColumn = null)
    {
        var attributesPath = Path.Combine(directory, AttributesFileName);
        var interactionsPath = Path.Combine(directory, InteractionsFileName);
        var builder = new RawDatasetBuilder(numericIds: false, capacity: 1 << 16);
        ReadAttributes(builder, attributesPath, attributeColumn);
        ReadInteractions(builder, interactionsPath);
        return builder.Build(interactionsPath, attributesPath);
    }

    private static void ReadAttributes(RawDatasetBuilder builder, string path, string? attributeColumn)
    {
        using var lines = DelimitedLines.Open(path);
        var fields = new Range[64];
        int column = 1, header = 0;
        while (lines.Next())
        {
            var line = lines.Current.AsSpan();
            int n = line.Split(fields, ',');
            if (lines.IsFirst && (attributeColumn is not null || IsHeader(Field(line, fields[0]))))
            {
                header = 1;
                if (attributeColumn is null) continue;
                column = -1;
                for (int c = 1; c < n && column < 0; c++)
                    if (Field(line, fields[c]).Equals(attributeColumn, StringComparison.OrdinalIgnoreCase)) column = c;
                if (column < 0)
                    throw lines.Error(attributeColumn, $"attribute column '{attributeColumn}' not found in header '{lines.Current}'");
                continue;
            }
            if (n <= column) throw lines.MissingColumns(column + 1, "user,value", n);
            var id = Field(line, fields[0]);
            if (id.IsEmpty) throw lines.Error("", "empty user id");
            var value = Field(line, fields[column]);
            builder.SetAttribute(lines, builder.UserIds.GetOrAdd(id), value.IsEmpty ? null : value.ToString());
        }
        lines.RequireData(header);
    }

    private static void ReadInteractions(RawDatasetBuilder builder, string path)
    {
        using var lines = DelimitedLines.Open(path);
        Span<Range> fields = stackalloc Range[4];
        int header = 0;
        bool? timed = null;
        while (lines.Next())
        {
            var line = lines.Current.AsSpan();
            int n = line.Split(fields, ',');
            if (lines.IsFirst && IsHeader(Field(line, fields[0]))) { header = 1; continue; }
            if (n < 2) throw lines.MissingColumns(2, "user,item[,timestamp]", n);
            bool hasTime = n >= 3 && !Field(line, fields[2]).IsEmpty;
            timed ??= hasTime;
            if (hasTime != timed)
                throw lines.Error(lines.Current, timed.Value
                    ? "missing timestamp (the first data row has one)"
                    : "unexpected timestamp (the first data row has none)");
            var user = Field(line, fields[0]);
            var item = Field(line, fields[1]);
            if (user.IsEmpty) throw lines.Error("", "empty user id");
            if (item.IsEmpty) throw lines.Error("", "empty item id");
            long? time = hasTime ? lines.ParseTimestamp(Field(line, fields[2]), allowDates: true) : null;
            builder.AddInteraction(builder.UserIds.GetOrAdd(user), builder.ItemIds.GetOrAdd(item), time);
        }
        lines.RequireData(header);
    }

    private static ReadOnlySpan<char> Field(ReadOnlySpan<char> line, Range range)
    {
        var field = line[range].Trim();
        if (field.Length >= 2 && field[0] == '"' && field[^1] == '"') field = field[1..^1].Trim();
        return field;
    }

    private static bool IsHeader(ReadOnlySpan<char> first) =>
        first.Equals("user", StringComparison.OrdinalIgnoreCase) ||
        first.Equals("user_id", StringComparison.OrdinalIgnoreCase) ||
        first.Equals("userid", StringComparison.OrdinalIgnoreCase) ||
        first.Equals("uid", StringComparison.OrdinalIgnoreCase) ||
        first.Equals("id", StringComparison.OrdinalIgnoreCase);
}
