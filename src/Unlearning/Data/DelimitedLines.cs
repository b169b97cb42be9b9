using System.Globalization;

namespace Unlearning.Data;

/// <summary>
/// Line-by-line reader of a delimited text file that knows its path and line number, so every
/// parse error becomes a <see cref="DataFormatException"/> naming file, line and value.
/// Blank lines are skipped; a trailing '\r' is ignored.
/// </summary>
internal sealed class DelimitedLines : IDisposable
{
    private readonly StreamReader _reader;
    private int _dataLines;

    private DelimitedLines(string path, StreamReader reader)
    {
        Path = path;
        _reader = reader;
    }

    public string Path { get; }

    /// <summary>1-based number of the current line.</summary>
    public int LineNumber { get; private set; }

    public string Current { get; private set; } = "";

    /// <summary>True when the current line is the first non-blank line of the file.</summary>
    public bool IsFirst => _dataLines == 1;

    public static DelimitedLines Open(string path)
    {
        if (!File.Exists(path))
            throw new DataFormatException(path, null, null, "file not found");
        return new DelimitedLines(path, new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16));
    }

    public bool Next()
    {
        while (_reader.ReadLine() is { } line)
        {
            LineNumber++;
            if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
            if (string.IsNullOrWhiteSpace(line)) continue;
            Current = line;
            _dataLines++;
            return true;
        }
        return false;
    }

    /// <summary>Throws when the file held no data lines (only a header counts as empty too).</summary>
    public void RequireData(int headerLines = 0)
    {
        if (_dataLines <= headerLines)
            throw new DataFormatException(Path, null, null, headerLines > 0 ? "file has no data lines after the header" : "file is empty");
    }

    public DataFormatException Error(string? value, string problem) => new(Path, LineNumber, value, problem);

    public DataFormatException MissingColumns(int expected, string layout, int found) =>
        Error(Shorten(Current), $"expected {expected} fields ({layout}), found {found} in '{Shorten(Current)}'");

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

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..77] + "...";

    public void Dispose() => _reader.Dispose();
}
