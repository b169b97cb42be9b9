namespace Unlearning.Data;

/// <summary>
/// A dataset input that cannot be used: a missing or empty file, a malformed line, an unknown
/// code, or data that leaves nothing usable after filtering. The message names the file, the
/// line (when there is one) and the offending value, e.g.
/// <c>u.user line 17: unknown gender code 'X' (expected M or F) [/data/ml-100k/u.user]</c>.
/// </summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException(string file, int? line, string? value, string problem, Exception? inner = null)
        : base(Format(file, line, problem), inner)
    {
        File = file;
        Line = line;
        Value = value;
    }

    /// <summary>Full path of the file (or a description of generated input).</summary>
    public string File { get; }

    /// <summary>1-based line number, or null when the problem is not tied to one line.</summary>
    public int? Line { get; }

    /// <summary>The offending value, when there is one.</summary>
    public string? Value { get; }

    private static string Format(string file, int? line, string problem)
    {
        var name = Path.GetFileName(file);
        if (name.Length == 0) name = file;
        return line is null ? $"{name}: {problem} [{file}]" : $"{name} line {line}: {problem} [{file}]";
    }
}
