using System.Globalization;
using System.Text.RegularExpressions;
using Unlearning.Grains.Tests.EndToEnd;
using Unlearning.Tests.Shared;

namespace Unlearning.Grains.Tests.Observability;

/// <summary>
/// A real Prometheus scrapes a silo process (Redis clustering) every second while the client runs a
/// tiny grid on it; the grid's counters and gauges are read back through Prometheus' query API and
/// compared with what the grid reported. The Grafana dashboard's metrics are checked against what
/// Prometheus stored. About 30 s.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed partial class PrometheusEndToEndTests
{
    [GeneratedRegex(@"metrics and probes on port (\d+)")]
    private static partial Regex MetricsPortLine();

    public static int MetricsPort(ChildProcess silo) =>
        int.Parse(MetricsPortLine().Match(silo.Output).Groups[1].Value, CultureInfo.InvariantCulture);

    [Fact]
    public async Task PrometheusReceivesTheGridsMetricsAndEveryDashboardMetric()
    {
        Assert.SkipWhen(LoopbackCluster.RedisServer is null, "redis-server is not installed (.ci/run installs it)");
        Assert.SkipWhen(LoopbackPrometheus.Binary is null || Promtool.Path is null, "prometheus is not installed (scripts/setup.sh installs Debian's prometheus package)");
        await using var cluster = new LoopbackCluster();
        await cluster.StartRedis();
        var silo = await cluster.StartSilo("observed", new() { ["Cells__Slots"] = "2" });
        int port = MetricsPort(silo);
        var rulesFile = Path.Combine(GrafanaDashboard.RepoRoot(), "deploy", "prometheus", "unlearning-rules.yaml");
        using var prometheus = await LoopbackPrometheus.Start(Path.Combine(cluster.Dir, "prometheus"), [$"127.0.0.1:{port}"], rulesFile);
        await prometheus.WaitFor("up{job=\"silo\"}", up => up == 1, TimeSpan.FromSeconds(60));
        // Idle, before any cell: the slots are there.
        Assert.Equal(2, await prometheus.Value("unlearning_device_slots{state=\"free\"}"));
        Assert.Equal(0, await prometheus.Value("unlearning_device_slots{state=\"busy\"}"));

        var client = cluster.StartClient(["grid", "synthetic-small", "--profile", "tiny", "--models", "ncf,lightgcn", "--methods", "original,retrain,d2d",
            "--run", "observed", "--out", Path.Combine(cluster.Dir, "client")]);
        Assert.True(client.WaitForExit(TimeSpan.FromMinutes(5)), $"the client did not finish the grid within 5 minutes\n{client.Printed}");
        Assert.True(client.ExitCode == 0, $"exit code {client.ExitCode}\n{client.Errors}");
        var grid = await (await cluster.Client()).GetGrain<IGridGrain>("observed").GetStatus();
        Assert.Equal(6, grid.Count(CellState.Done));

        // The last scrape after the end: every cell done, every slot free again.
        await prometheus.WaitFor("unlearning_grid_cells{run=\"observed\",state=\"done\"}", n => n == 6, TimeSpan.FromSeconds(30));
        await prometheus.WaitFor("unlearning_device_slots{state=\"busy\"}", n => n == 0, TimeSpan.FromSeconds(30));
        Assert.Equal(0, await prometheus.Value("sum(unlearning_grid_cells{run=\"observed\",state!=\"done\"})"));
        // While it ran: cells running, slots busy.
        Assert.True(await prometheus.Value("max_over_time(unlearning_device_slots{state=\"busy\"}[10m])") >= 1);
        Assert.True(await prometheus.Value("max_over_time(unlearning_grid_cells{run=\"observed\",state=\"running\"}[10m])") >= 1);

        // Counters: the tiny profile trains 2 epochs (original, retrain of both models) and unlearns 20 steps (d2d).
        Assert.Equal(4 * 2, await prometheus.Value("sum(unlearning_training_epochs_total)"));
        Assert.Equal(4 * 2, await prometheus.Value("sum(unlearning_epoch_duration_seconds_count{dataset=\"synthetic-small\"})"));
        Assert.Equal(2 * 20, await prometheus.Value("sum(unlearning_unlearning_steps_total{method=\"d2d\"})"));
        Assert.Equal(6, await prometheus.Value("sum(unlearning_cell_duration_seconds_count{state=\"done\",device=\"cpu\"})"));
        Assert.Equal(2, await prometheus.Value("sum(unlearning_cell_duration_seconds_count{method=\"retrain\"})"));
        // Loss while training; the attack AUC per dataset, model, method and attacker (here one cell
        // each, so the mean is that cell's AUC, as the grid reported it), with its number of cells.
        Assert.True(await prometheus.Value("count(count_over_time(unlearning_cell_loss{run=\"observed\",phase=\"train\"}[10m]))") >= 1);
        var aucs = await prometheus.Query("unlearning_grid_attack_auc{run=\"observed\"}");
        var counts = await prometheus.Query("unlearning_grid_attack_cells{run=\"observed\"}");
        Assert.Equal(6 * 2, aucs.Count);
        Assert.Equal(6 * 2, counts.Count);
        Assert.All(aucs, a => Assert.False(a.Labels.ContainsKey("profile") || a.Labels.ContainsKey("seed"), string.Join(",", a.Labels)));
        foreach (var cell in grid.Cells)
            foreach (var (attacker, attack) in cell.Result!.Attacks)
            {
                bool Of((Dictionary<string, string> Labels, double Value) a) => a.Labels["dataset"] == cell.Cell.Dataset && a.Labels["model"] == cell.Cell.Model && a.Labels["method"] == cell.Cell.Method && a.Labels["attacker"] == attacker;
                Assert.Equal(attack.Auc, Assert.Single(aucs, Of).Value, 12);
                Assert.Equal(1, Assert.Single(counts, Of).Value);
            }
        // Cells have series of their own while they run (state and silo), none once finished.
        var info = await prometheus.Query("max by (dataset, model, method, state, silo) (max_over_time(unlearning_grid_cell_info{run=\"observed\"}[10m]))");
        Assert.NotEmpty(info);
        Assert.All(info, i => Assert.Contains(i.Labels["state"], new[] { "running", "queued" }));
        Assert.Contains(info, i => (i.Labels["state"], i.Labels["silo"]) == ("running", "observed"));
        Assert.Empty(await prometheus.Query("unlearning_grid_cell_info{run=\"observed\"}"));
        Assert.True(await prometheus.Value("max_over_time(unlearning_grid_running{run=\"observed\",silo=\"observed\"}[10m])") >= 1);
        // The executor's histograms and counters say what kind of cell, not which one.
        Assert.Empty(await prometheus.Query("{__name__=~\"unlearning_(cell_duration_seconds_count|epoch_duration_seconds_count|training_epochs_total|unlearning_steps_total)\",seed!=\"\"}"));

        // Orleans, the runtime and the process, scraped too.
        var stored = await prometheus.MetricNames();
        Assert.Contains("orleans_catalog_activations", stored);
        Assert.Contains("dotnet_gc_collections_total", stored);
        Assert.Contains("process_cpu_time_seconds_total", stored);

        // Every metric the Grafana dashboard reads arrived from this silo.
        var missing = GrafanaDashboard.Expressions()
            .SelectMany(e => GrafanaDashboard.MetricNames(e.Expr).Select(name => (e.Panel, Name: name)))
            .Where(e => !stored.Contains(e.Name) && !GrafanaDashboard.External.Contains(e.Name)).ToList();
        Assert.True(missing.Count == 0, "the dashboard reads metrics no silo exported: " + string.Join("; ", missing.Select(m => $"{m.Name} ({m.Panel})")));

        // The alert rules (deploy/prometheus/unlearning-rules.yaml) evaluate on this scrape without error and
        // read metrics it holds; only the Deployments' desired replicas come from elsewhere (kube-state-metrics).
        var rules = await prometheus.Rules();
        Assert.Contains(rules, r => r.Name == "UnlearningSiloLost");
        Assert.All(rules, r => Assert.True(r.Health == "ok", $"rule {r.Name}: {r.Health} {r.Error}"));
        var unread = rules.SelectMany(r => PromQl.MetricNames(r.Query).Select(name => (r.Name, Metric: name)))
            .Where(x => !x.Metric.Contains(':') && !stored.Contains(x.Metric) && x.Metric != "kube_deployment_spec_replicas").ToList();
        Assert.True(unread.Count == 0, "the alert rules read metrics no silo exported: " + string.Join("; ", unread.Select(u => $"{u.Metric} ({u.Name})")));

        // The metric names the documentation gives are real.
        foreach (var doc in new[] { "README.md", "docs/deploy.md", "docs/decisions.md" })
            foreach (var name in Regex.Matches(File.ReadAllText(Path.Combine(GrafanaDashboard.RepoRoot(), doc)), @"\bunlearning_[a-z_]+[a-z]").Select(m => m.Value).Distinct())
                Assert.True(stored.Contains(name) || stored.Contains(name + "_bucket"), $"{doc} names {name}, which no silo exported");

        // promtool's lint on our series as the busy silo serves them now.
        using var http = new HttpClient();
        Promtool.CheckMetrics(PrometheusText.Only(await http.GetStringAsync($"http://127.0.0.1:{port}{SiloEndpoints.Metrics}"), "unlearning_"));
    }
}
