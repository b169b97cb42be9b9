namespace Unlearning.Data;

/// <summary>
/// A custom dataset: <c>interactions.csv</c> = user,item[,timestamp] and
/// <c>attributes.csv</c> = user,value. Ids are arbitrary text. A first line is a header when its
/// first field is a user-column name (user, user_id, userid, uid, id; any case); with
/// <see cref="DataOptions.AttributeColumn"/> the attributes header is required and names the
/// column to use. Fields are trimmed and may be quoted as CSV quotes them (RFC 4180: a quoted
/// field may hold commas, line breaks and doubled quotes).
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
        using var records = CsvRecords.Open(path);
        int column = 1, header = 0;
        while (records.Next())
        {
            var fields = records.Fields;
            if (records.IsFirst && (attributeColumn is not null || IsHeader(fields[0])))
            {
                header = 1;
                if (attributeColumn is null) continue;
                column = -1;
                for (int c = 1; c < fields.Count && column < 0; c++)
                    if (fields[c].Equals(attributeColumn, StringComparison.OrdinalIgnoreCase)) column = c;
                if (column < 0)
                    throw records.Error(attributeColumn, $"attribute column '{attributeColumn}' not found in header '{string.Join(",", fields)}'");
                continue;
            }
            if (fields.Count <= column) throw records.MissingColumns(column + 1, "user,value", fields.Count);
            var id = fields[0];
            if (id.Length == 0) throw records.Error("", "empty user id");
            var value = fields[column];
            builder.SetAttribute(records, builder.UserIds.GetOrAdd(id.AsSpan()), value.Length == 0 ? null : value);
        }
        records.RequireData(header);
    }

    private static void ReadInteractions(RawDatasetBuilder builder, string path)
    {
        using var records = CsvRecords.Open(path);
        int header = 0;
        bool? timed = null;
        while (records.Next())
        {
            var fields = records.Fields;
            if (records.IsFirst && IsHeader(fields[0])) { header = 1; continue; }
            if (fields.Count < 2) throw records.MissingColumns(2, "user,item[,timestamp]", fields.Count);
            bool hasTime = fields.Count >= 3 && fields[2].Length > 0;
            timed ??= hasTime;
            if (hasTime != timed)
                throw records.Error(string.Join(",", fields), timed.Value
                    ? "missing timestamp (the first data row has one)"
                    : "unexpected timestamp (the first data row has none)");
            var user = fields[0];
            var item = fields[1];
            if (user.Length == 0) throw records.Error("", "empty user id");
            if (item.Length == 0) throw records.Error("", "empty item id");
            long? time = hasTime ? records.ParseTimestamp(fields[2], allowDates: true) : null;
            builder.AddInteraction(builder.UserIds.GetOrAdd(user.AsSpan()), builder.ItemIds.GetOrAdd(item.AsSpan()), time);
        }
        records.RequireData(header);
    }

    private static bool IsHeader(ReadOnlySpan<char> first) =>
        first.Equals("user", StringComparison.OrdinalIgnoreCase) ||
        first.Equals("user_id", StringComparison.OrdinalIgnoreCase) ||
        first.Equals("userid", StringComparison.OrdinalIgnoreCase) ||
        first.Equals("uid", StringComparison.OrdinalIgnoreCase) ||
        first.Equals("id", StringComparison.OrdinalIgnoreCase);
}
