using System.Globalization;

namespace Unlearning.Data;

/// <summary>
/// A text source read record by record that knows its path and the line of the current record, so
/// every parse error becomes a <see cref="DataFormatException"/> naming file, line and value.
/// <see cref="DelimitedLines"/> reads one record per line; <see cref="CsvRecords"/> reads RFC 4180 CSV.
/// </summary>
internal abstract class TextRecords : IDisposable
{
    private int _records;

    protected TextRecords(string path) => Path = path;

    public string Path { get; }

    /// <summary>1-based line on which the current record starts.</summary>
    public int LineNumber { get; protected set; }

    /// <summary>The current record as it stands in the file (for messages).</summary>
    protected abstract string RawText { get; }

    /// <summary>True when the current record is the first non-blank record of the file.</summary>
    public bool IsFirst => _records == 1;

    /// <summary>UTF-8 that throws on invalid bytes instead of replacing them with U+FFFD (a Latin-1
    /// file would otherwise turn its accented ids into silently different ones).</summary>
    protected static readonly System.Text.Encoding StrictUtf8 = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Moves to the next non-blank record; false at the end of the file.</summary>
    public bool Next()
    {
        try
        {
            if (!Advance()) return false;
        }
        catch (System.Text.DecoderFallbackException)
        {
            // The reader decodes ahead in blocks: find the offending byte's line in the file itself.
            var (line, value) = FirstInvalidUtf8(Path);
            throw new DataFormatException(Path, line, value, $"is not UTF-8 text (byte '{value}', hexadecimal); save the file as UTF-8");
        }
        _records++;
        return true;
    }

    private static (int Line, string Byte) FirstInvalidUtf8(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int line = 1;
        for (int i = 0; i < bytes.Length;)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes.AsSpan(i), out _, out int consumed) != System.Buffers.OperationStatus.Done)
                return (line, bytes[i].ToString("X2", CultureInfo.InvariantCulture));
            if (bytes[i] == (byte)'\n') line++;
            i += consumed;
        }
        return (line, "??");
    }

    protected abstract bool Advance();

    protected static void RequireFile(string path)
    {
        if (!File.Exists(path))
            throw new DataFormatException(path, null, null, "file not found");
    }

    /// <summary>Throws when the file held no records (only a header counts as empty too).</summary>
    public void RequireData(int headerLines = 0)
    {
        if (_records <= headerLines)
            throw new DataFormatException(Path, null, null, headerLines > 0 ? "file has no data lines after the header" : "file is empty");
    }

    public DataFormatException Error(string? value, string problem) => new(Path, LineNumber, value, problem);

    public DataFormatException MissingColumns(int expected, string layout, int found) =>
        Error(Shorten(RawText), $"expected {expected} fields ({layout}), found {found} in '{Shorten(RawText)}'");

    /// <summary>A non-negative integer id.</summary>
    public long ParseId(ReadOnlySpan<char> field, string what)
    {
        field = field.Trim();
        if (long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return value;
        throw Error(field.ToString(), $"non-numeric {what} '{field}'");
    }

    public long ParseInteger(ReadOnlySpan<char> field, string what)
    {
        field = field.Trim();
        if (long.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return value;
        throw Error(field.ToString(), $"non-numeric {what} '{field}'");
    }

    /// <summary>Unix seconds, or (when <paramref name="allowDates"/>) an ISO-8601 date and time, taken as UTC.</summary>
    public long ParseTimestamp(ReadOnlySpan<char> field, bool allowDates)
    {
        field = field.Trim();
        if (long.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
            return seconds;
        if (allowDates && DateTimeOffset.TryParse(field, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var time))
            return time.ToUnixTimeSeconds();
        throw Error(field.ToString(), allowDates
            ? $"timestamp '{field}' is neither unix seconds nor a date and time"
            : $"non-numeric timestamp '{field}'");
    }

    public static bool IsInteger(ReadOnlySpan<char> field) =>
        long.TryParse(field.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    protected static string Shorten(string s)
    {
        s = s.ReplaceLineEndings(" ");
        return s.Length <= 80 ? s : s[..77] + "...";
    }

    public abstract void Dispose();
}
