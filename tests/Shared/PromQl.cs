using System.Text.RegularExpressions;

namespace Unlearning.Tests.Shared;

/// <summary>The metric names a PromQL expression reads, for the dashboard's and the alert rules' tests:
/// identifiers outside strings, matchers, ranges and groupings that are not functions, keywords or numbers.</summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords = ["and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan", "e"];

    public static HashSet<string> MetricNames(string expr)
    {
        var bare = Groupings().Replace(StringsMatchersAndRanges().Replace(expr, " "), " ");
        return Identifiers().Matches(bare).Select(m => m.Groups[1].Value).Where(n => !Keywords.Contains(n.ToLowerInvariant())).ToHashSet();
    }

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'|\{[^}]*\}|\[[^\]]*\]")]
    private static partial Regex StringsMatchersAndRanges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Groupings();

    [GeneratedRegex(@"(?<![\w:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\w:]|\s*\()")]
    private static partial Regex Identifiers();
}
