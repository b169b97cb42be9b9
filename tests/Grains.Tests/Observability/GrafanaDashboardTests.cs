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

    /// <summary>Issue 24: one Prometheus may scrape several grids (namespaces) and a grid several runs.</summary>
    [Fact]
    public void EveryQueryIsFilteredByTheNamespaceAndRunVariables()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(GrafanaDashboard.File));
        var variables = doc.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
        Assert.Contains("$namespace", variables["run"].GetProperty("query").GetString(), StringComparison.Ordinal);
        Assert.True(variables["namespace"].GetProperty("includeAll").GetBoolean());
        foreach (var (panel, expr) in GrafanaDashboard.RawExpressions())
        {
            var selectors = GrafanaDashboard.Selectors(expr);
            Assert.NotEmpty(selectors);
            foreach (var (metric, matchers) in selectors)
            {
                Assert.True(matchers.Contains("namespace=~\"$namespace\"", StringComparison.Ordinal), $"panel '{panel}': {metric} is not filtered by $namespace in {expr}");
                // Every metric with a run label: the grid's and the running cells' losses.
                if (metric.StartsWith("unlearning_grid_", StringComparison.Ordinal) || metric == "unlearning_cell_loss")
                    Assert.True(matchers.Contains("run=~\"$run\"", StringComparison.Ordinal), $"panel '{panel}': {metric} is not filtered by $run in {expr}");
            }
        }
    }

    /// <summary>Issue 24: instance is a pod IP, new with every restart; the pod's name says which silo.</summary>
    [Fact]
    public void SilosAreNamedByPodNotByInstance()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(GrafanaDashboard.File));
        foreach (var (panel, expr) in GrafanaDashboard.RawExpressions())
            Assert.DoesNotContain("instance", expr, StringComparison.Ordinal);
        var text = File.ReadAllText(GrafanaDashboard.File);
        Assert.DoesNotContain("{{instance}}", text, StringComparison.Ordinal);
        Assert.Contains("{{pod}}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOptionalGpuUtilisationPanelReadsTheDcgmExporter()
    {
        var panel = Panels().Single(p => GrafanaDashboard.RawExpressions().Any(e => e.Panel == p.Title && e.Expr.Contains("DCGM_FI_DEV_GPU_UTIL", StringComparison.Ordinal)));
        Assert.Contains("optional", panel.Description, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("DCGM", panel.Description, StringComparison.Ordinal);
        // The exporter's metrics are the only ones no silo exports.
        var names = GrafanaDashboard.Expressions().SelectMany(e => GrafanaDashboard.MetricNames(e.Expr)).ToHashSet();
        Assert.Equal(GrafanaDashboard.External.Order(), names.Where(n => !n.StartsWith("unlearning_", StringComparison.Ordinal) && !n.StartsWith("orleans_", StringComparison.Ordinal) && !n.StartsWith("process_", StringComparison.Ordinal) && !n.StartsWith("dotnet_", StringComparison.Ordinal)).Order());
    }

    /// <summary>Issue 24: a grid of days needs to show whether it still moves and when it will end.</summary>
    [Fact]
    public void AStallAndEtaPanelReadsFinishedCellsAndTheCellDuration()
    {
        var stall = GrafanaDashboard.RawExpressions().Where(e => e.Panel == "Stall and ETA").Select(e => e.Expr).ToList();
        Assert.Contains(stall, e => e.Contains("time()", StringComparison.Ordinal) && e.Contains("unlearning_grid_cells", StringComparison.Ordinal));
        Assert.Contains(stall, e => e.Contains("unlearning_cell_duration_seconds_sum", StringComparison.Ordinal) && e.Contains("unlearning_cell_duration_seconds_count", StringComparison.Ordinal)
            && e.Contains("state!~\"done|failed\"", StringComparison.Ordinal) && e.Contains("unlearning_device_slots", StringComparison.Ordinal));
    }

    private static List<(string Title, string Description)> Panels()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(GrafanaDashboard.File));
        return doc.RootElement.GetProperty("panels").EnumerateArray()
            .Select(p => (p.GetProperty("title").GetString()!, p.TryGetProperty("description", out var d) ? d.GetString()! : "")).ToList();
    }
}
