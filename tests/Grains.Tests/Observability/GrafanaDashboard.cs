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

    /// <summary>Metrics of other exporters that optional panels read (NVIDIA's DCGM exporter): no silo exports them.</summary>
    public static readonly IReadOnlySet<string> External = new HashSet<string> { "DCGM_FI_DEV_GPU_UTIL" };

    /// <summary>(panel title, expression) for every target of every panel, rows included, variables substituted.</summary>
    public static List<(string Panel, string Expr)> Expressions() => RawExpressions().Select(e => (e.Panel, Substitute(e.Expr))).ToList();

    /// <summary>(panel title, expression) as the dashboard has them, Grafana's variables included.</summary>
    public static List<(string Panel, string Expr)> RawExpressions()
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
                        found.Add((panel.GetProperty("title").GetString()!, expr.GetString()!));
            }
        }
        Walk(doc.RootElement.GetProperty("panels"));
        return found;
    }

    /// <summary>Grafana's variables as a query would see them: every namespace and run, a one-minute rate window.</summary>
    public static string Substitute(string expr) => expr
        .Replace("${namespace}", ".*").Replace("$namespace", ".*")
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

    /// <summary>Each selector of the expression: a metric name and its matchers (empty when it has none).</summary>
    public static List<(string Metric, string Matchers)> Selectors(string expr)
    {
        var names = MetricNames(expr);
        return Selector().Matches(expr).Where(m => names.Contains(m.Groups["name"].Value))
            .Select(m => (m.Groups["name"].Value, m.Groups["matchers"].Value)).ToList();
    }

    [GeneratedRegex(@"(?<![\w:.""$])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<matchers>[^}]*)\})?(?![\w:{]|\s*\()")]
    private static partial Regex Selector();

    /// <summary>The metric names an expression reads (identifiers that are not functions, keywords, labels or numbers).</summary>
    public static HashSet<string> MetricNames(string expr) => Unlearning.Tests.Shared.PromQl.MetricNames(expr);

    public static string RepoRoot() => RepoPaths.RepoRoot ?? throw new InvalidOperationException($"no Unlearning.slnx above {AppContext.BaseDirectory}");
}
