namespace Unlearning.Data;

/// <summary>
/// A delimited text file read line by line (one record per line; the caller splits the fields).
/// Blank lines are skipped; a trailing '\r' is ignored.
/// </summary>
internal sealed class DelimitedLines : TextRecords
{
    private readonly StreamReader _reader;
    private int _line;

    private DelimitedLines(string path, StreamReader reader) : base(path) => _reader = reader;

    public string Current { get; private set; } = "";

    protected override string RawText => Current;

    public static DelimitedLines Open(string path)
    {
        RequireFile(path);
        return new DelimitedLines(path, new StreamReader(path, StrictUtf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16));
    }

    protected override bool Advance()
    {
        while (_reader.ReadLine() is { } line)
        {
            _line++;
            if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
            if (string.IsNullOrWhiteSpace(line)) continue;
            Current = line;
            LineNumber = _line;
            return true;
        }
        return false;
    }

    public override void Dispose() => _reader.Dispose();
}
