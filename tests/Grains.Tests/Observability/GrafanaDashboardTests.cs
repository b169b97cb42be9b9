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

    /// <summary>Issue 23: the executor's histograms and counters and the attack AUC carry no profile
    /// or seed, and finished cells have no series of their own: no panel asks for either.</summary>
    [Fact]
    public void NoPanelReadsSeriesPerFinishedCellOrAProfileOrSeedOfAnAggregate()
    {
        string[] aggregates = ["unlearning_grid_attack_", "unlearning_cell_duration_", "unlearning_epoch_duration_", "unlearning_training_epochs", "unlearning_unlearning_steps", "unlearning_grid_cells", "unlearning_grid_running"];
        foreach (var (panel, expr) in GrafanaDashboard.Expressions())
        {
            var names = GrafanaDashboard.MetricNames(expr);
            if (names.Any(n => aggregates.Any(a => n.StartsWith(a, StringComparison.Ordinal))))
                Assert.False(expr.Contains("profile", StringComparison.Ordinal) || expr.Contains("seed", StringComparison.Ordinal), $"panel '{panel}' reads a profile or seed its metrics lack: {expr}");
            if (names.Any(n => n.StartsWith("unlearning_grid_cell_", StringComparison.Ordinal)))
                foreach (var state in new[] { "done", "failed", "pending", "waiting_for_inputs" })
                    Assert.False(expr.Contains($"state=\"{state}\"", StringComparison.Ordinal), $"panel '{panel}' asks for {state} cells one by one: {expr}");
        }
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
