using System.Text.Json;

namespace Unlearning.Grains.Tests.Observability;

/// <summary>deploy/grafana/unlearning-grid.json on its own: its shape and its PromQL. That every
/// metric it names is exported is checked against a real scrape in <see cref="PrometheusEndToEndTests"/>.</summary>
public sealed class GrafanaDashboardTests
{
    [Fact]
    public void MetricNamesAreReadFromPromQl()
    {
        Assert.Equal(["a_total", "b"], GrafanaDashboard.MetricNames("sum by (run) (rate(a_total{x=\"y\", z=~\"w.*\"}[1m])) / on(run) group_left max(b) > bool 0.5").Order());
        Assert.Equal(["x_bucket"], GrafanaDashboard.MetricNames(GrafanaDashboard.Substitute("histogram_quantile(0.95, sum by (le, instance) (rate(x_bucket[$__rate_interval])))")));
        Assert.Equal(["c"], GrafanaDashboard.MetricNames("c offset 5m or vector(0)"));
    }

    [Fact]
    public void TheDashboardHasADatasourceVariableAndItsPanelsUseIt()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(GrafanaDashboard.File));
        var variables = doc.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray().ToList();
        Assert.Contains(variables, v => v.GetProperty("name").GetString() == "datasource" && v.GetProperty("type").GetString() == "datasource" && v.GetProperty("query").GetString() == "prometheus");
        Assert.Contains(variables, v => v.GetProperty("name").GetString() == "run");
        var expressions = GrafanaDashboard.Expressions();
        Assert.True(expressions.Count >= 10, $"only {expressions.Count} queries");
        string text = File.ReadAllText(GrafanaDashboard.File);
        Assert.DoesNotContain("\"uid\": \"prometheus\"", text);
    }

    [Fact]
    public void EveryQueryParsesAndReadsAMetric()
    {
        Assert.SkipWhen(Promtool.Path is null, "promtool is not installed (scripts/setup.sh installs Debian's prometheus package)");
        var expressions = GrafanaDashboard.Expressions();
        Promtool.CheckRules(GrafanaDashboard.RulesFile(expressions));
        Assert.All(expressions, e => Assert.True(GrafanaDashboard.MetricNames(e.Expr).Count > 0, $"panel '{e.Panel}': no metric in {e.Expr}"));
    }
}
