using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Unlearning.Data;

namespace Unlearning.Grains.Tests.Observability;

/// <summary>The PromQL of deploy/grafana/unlearning-grid.json: every panel's queries, with Grafana's
/// variables given values Prometheus accepts, and the metric names they read.</summary>
public static partial class GrafanaDashboard
{
    public static string File => Path.Combine(RepoRoot(), "deploy", "grafana", "unlearning-grid.json");

    /// <summary>(panel title, expression) for every target of every panel, rows included.</summary>
    public static List<(string Panel, string Expr)> Expressions()
    {
        using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(File));
        var found = new List<(string, string)>();
        void Walk(JsonElement panels)
        {
            foreach (var panel in panels.EnumerateArray())
            {
                if (panel.TryGetProperty("panels", out var nested)) Walk(nested);
                if (!panel.TryGetProperty("targets", out var targets)) continue;
                foreach (var target in targets.EnumerateArray())
                    if (target.TryGetProperty("expr", out var expr))
                        found.Add((panel.GetProperty("title").GetString()!, Substitute(expr.GetString()!)));
            }
        }
        Walk(doc.RootElement.GetProperty("panels"));
        return found;
    }

    /// <summary>Grafana's variables as a query would see them: every run, a one-minute rate window.</summary>
    public static string Substitute(string expr) => expr
        .Replace("${run}", ".*").Replace("$run", ".*")
        .Replace("${__rate_interval}", "1m").Replace("$__rate_interval", "1m")
        .Replace("${__interval}", "15s").Replace("$__interval", "15s")
        .Replace("${__range}", "1h").Replace("$__range", "1h");

    /// <summary>A Prometheus rules file with one recording rule per expression, for <c>promtool check rules</c>.</summary>
    public static string RulesFile(IEnumerable<(string Panel, string Expr)> expressions)
    {
        var yaml = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int i = 0;
        foreach (var (_, expr) in expressions)
            yaml.Append("      - record: dashboard:expr").Append(i++).Append('\n').Append("        expr: ").Append(JsonSerializer.Serialize(expr)).Append('\n');
        return yaml.ToString();
    }

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'|\{[^}]*\}|\[[^\]]*\]")]
    private static partial Regex StringsMatchersAndRanges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Groupings();

    [GeneratedRegex(@"(?<![\w:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\w:]|\s*\()")]
    private static partial Regex Identifiers();

    private static readonly HashSet<string> Keywords = ["and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan", "e"];

    /// <summary>The metric names an expression reads (identifiers that are not functions, keywords, labels or numbers).</summary>
    public static HashSet<string> MetricNames(string expr)
    {
        var bare = Groupings().Replace(StringsMatchersAndRanges().Replace(expr, " "), " ");
        return Identifiers().Matches(bare).Select(m => m.Groups[1].Value).Where(n => !Keywords.Contains(n.ToLowerInvariant())).ToHashSet();
    }

    public static string RepoRoot() => RepoPaths.RepoRoot ?? throw new InvalidOperationException($"no Unlearning.slnx above {AppContext.BaseDirectory}");
}
