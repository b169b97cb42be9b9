using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Unlearning.Data;

/// <summary>
/// A comma-separated file read with CsvHelper (RFC 4180): a field in double quotes may hold commas,
/// line breaks and doubled quotes (<c>"F, student"</c> is one field). Fields are trimmed, inside
/// quotes too; blank lines are skipped. A stray or unterminated quote is an error naming the line.
/// </summary>
internal sealed class CsvRecords : TextRecords
{
    private readonly CsvParser _parser;
    private string[] _fields = [];

    private CsvRecords(string path) : base(path)
    {
        var reader = new StreamReader(path, StrictUtf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        _parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false,
            IgnoreBlankLines = true,
            TrimOptions = TrimOptions.Trim | TrimOptions.InsideQuotes,
            BadDataFound = args => throw new DataFormatException(path, FirstLine(args.Context.Parser!.RawRow, args.RawRecord), args.Field,
                $"malformed quoted field '{Shorten(args.Field)}' (a quoted field must end with a quote; write a quote inside one as \"\")"),
        });
    }

    public static CsvRecords Open(string path)
    {
        RequireFile(path);
        return new CsvRecords(path);
    }

    /// <summary>Fields of the current record.</summary>
    public IReadOnlyList<string> Fields => _fields;

    protected override string RawText => _parser.RawRecord.TrimEnd('\r', '\n');

    protected override bool Advance()
    {
        if (!_parser.Read()) return false;
        _fields = _parser.Record ?? [];
        LineNumber = FirstLine(_parser.RawRow, _parser.RawRecord);
        return true;
    }

    /// <summary>CsvHelper counts the record's last line; a quoted line break makes a record span several.</summary>
    private static int FirstLine(int lastLine, string rawRecord) =>
        lastLine - rawRecord.TrimEnd('\r', '\n').Count(c => c == '\n');

    public override void Dispose() => _parser.Dispose();
}
