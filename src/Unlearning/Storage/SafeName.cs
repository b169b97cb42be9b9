using System.Text.RegularExpressions;

namespace Unlearning.Storage;

/// <summary>Names that users choose (datasets, runs) and that become folder names or keys: letters,
/// digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters. No '/', no '..'.</summary>
public static partial class SafeName
{
    public static string Check(string value, string what)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException($"{what} is empty");
        if (value.Length > 100 || !Pattern().IsMatch(value) || value.Contains(".."))
            throw new ArgumentException($"{what} '{value}' is not allowed: use letters, digits, '.', '_' and '-' (no '/' or '..'), at most 100 characters");
        return value;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex Pattern();
}
