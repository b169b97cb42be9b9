using System.Text.Json;
using System.Text.RegularExpressions;
using k8s.Models;
using Unlearning.Tests.Shared;

namespace Unlearning.Deploy.Tests;

/// <summary>Issue 24: alerts for a grid that runs for days (deploy/prometheus/unlearning-rules.yaml), the
/// PrometheusRule that carries them to the Prometheus Operator, and the optional KEDA scaler.</summary>
public sealed partial class PrometheusRulesTests
{
    private const string RulesFile = "deploy/prometheus/unlearning-rules.yaml";
    private const string RulesTests = "deploy/prometheus/unlearning-rules.test.yaml";

    [Fact]
    public void The_rules_file_passes_promtool_check_rules()
    {
        var (code, output) = Promtool("check", "rules", Repo.PathOf(RulesFile));
        Assert.True(code == 0, $"promtool check rules {RulesFile} failed ({code}):\n{output}");
    }

    /// <summary>The unit tests feed series to the rules and expect the alerts: a stalled run and not a young
    /// or finished one, failed cells, attempts failing repeatedly, a silo down, a silo lost.</summary>
    [Fact]
    public void The_rules_pass_their_promtool_unit_tests()
    {
        var (code, output) = Promtool("test", "rules", Repo.PathOf(RulesTests));
        Assert.True(code == 0, $"promtool test rules {RulesTests} failed ({code}):\n{output}");
    }

    [Fact]
    public void Every_alert_has_a_unit_test_and_the_asked_for_alerts_exist()
    {
        var alerts = Groups(Repo.Read(RulesFile)).SelectMany(g => g.Rules).Select(r => r.Alert).OfType<string>().ToHashSet();
        Assert.Superset(new HashSet<string> { "UnlearningGridStalled", "UnlearningGridCellsFailed", "UnlearningCellsFailingRepeatedly", "UnlearningSiloDown", "UnlearningSiloLost" }, alerts);
        var tested = AlertName().Matches(Repo.Read(RulesTests)).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(alerts.Order(), tested.Order());
    }

    [Fact]
    public void The_rules_read_only_metrics_the_silos_export_or_prometheus_adds()
    {
        // unlearning.cell.duration (a histogram in seconds) is scraped as unlearning_cell_duration_seconds_{bucket,count,sum}.
        var exported = ExportedName().Matches(Repo.Read("src/Grains/Telemetry/GridMetrics.cs")).Select(m => m.Groups[1].Value.Replace('.', '_')).ToHashSet();
        foreach (var rule in Groups(Repo.Read(RulesFile)).SelectMany(g => g.Rules))
            foreach (var name in PromQl.MetricNames(rule.Expr).Where(n => !n.StartsWith("unlearning:", StringComparison.Ordinal)))
            {
                if (name is "up" || name.StartsWith("orleans_", StringComparison.Ordinal)) continue;
                // kube-state-metrics' (part of kube-prometheus-stack), about the silo Deployments.
                if (name is "kube_deployment_spec_replicas") continue;
                var stem = UnitSuffix().Replace(name, "");
                Assert.True(exported.Contains(stem), $"{rule.Alert ?? rule.Record}: {name} is not a metric of src/Grains/Telemetry/GridMetrics.cs");
            }
    }

    /// <summary>UnlearningSiloLost compares the ring with what the silo Deployments ask for: its
    /// selector must take every silo Deployment of every overlay and nothing else.</summary>
    [Fact]
    [Trait("Category", "Deploy")]
    public void The_silo_lost_alert_counts_the_replicas_of_exactly_the_silo_deployments()
    {
        var selector = new Regex($"^(?:{DeploymentSelector().Match(Repo.Read(RulesFile)).Groups[1].Value})$");
        foreach (var overlay in Kustomize.SiloOverlays)
            foreach (var deployment in Kustomize.Cluster(overlay).All<V1Deployment>())
            {
                bool silo = deployment.Spec.Template.Metadata.Labels.TryGetValue("app.kubernetes.io/name", out var name) && name == "silo";
                Assert.True(silo == selector.IsMatch(deployment.Metadata.Name), $"{overlay}: Deployment {deployment.Metadata.Name} (silo: {silo}) and the selector {selector} disagree");
            }
        Assert.DoesNotMatch(selector, "redis");
    }

    [Fact]
    [Trait("Category", "Deploy")]
    public void The_servicemonitor_component_carries_the_rules_file_unchanged()
    {
        var rule = Assert.Single(Kustomize.Cluster("overlays/gpu-servicemonitor").All<PrometheusRule>());
        Assert.Equal(Json(Groups(Repo.Read(RulesFile))), Json(rule.Spec.Groups));
        Assert.Empty(Kustomize.Cluster("overlays/gpu").All<PrometheusRule>());
    }

    [Fact]
    [Trait("Category", "Deploy")]
    public void The_keda_overlay_scales_the_gpu_silos_on_waiting_and_busy_cells()
    {
        var cluster = Kustomize.Cluster("overlays/gpu-keda");
        var scaler = Assert.Single(cluster.All<ScaledObject>());
        var deployment = Assert.Single(cluster.All<V1Deployment>(), d => d.Metadata.Name == scaler.Spec.ScaleTargetRef.Name);
        Assert.Equal(("apps/v1", "Deployment"), (scaler.Spec.ScaleTargetRef.ApiVersion, scaler.Spec.ScaleTargetRef.Kind));
        Assert.Contains(cluster.Silos, s => s.Owner == $"Deployment/{deployment.Metadata.Name}");
        // KEDA owns the replicas: an apply must not reset them.
        Assert.Null(deployment.Spec.Replicas);
        Assert.InRange(scaler.Spec.MinReplicaCount ?? 0, 1, int.MaxValue);
        Assert.True(scaler.Spec.MaxReplicaCount > scaler.Spec.MinReplicaCount);

        var trigger = Assert.Single(scaler.Spec.Triggers);
        Assert.Equal("prometheus", trigger.Type);
        var query = trigger.Metadata["query"];
        Assert.Contains("unlearning_cells_waiting", query, StringComparison.Ordinal);
        Assert.Contains("unlearning_device_slots", query, StringComparison.Ordinal);
        Assert.Contains("state=\"busy\"", query, StringComparison.Ordinal);
        Assert.Contains("namespace=\"unlearning\"", query, StringComparison.Ordinal);
        Assert.True(double.Parse(trigger.Metadata["threshold"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.StartsWith("http", trigger.Metadata["serverAddress"], StringComparison.Ordinal);
        Assert.NotNull(scaler.Spec.Advanced?.HorizontalPodAutoscalerConfig?.Behavior?.ScaleDown);

        // The query parses (as a recording rule) for Prometheus.
        var file = Path.Combine(Path.GetTempPath(), $"keda-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, $"groups:\n  - name: keda\n    rules:\n      - record: keda:silo_demand\n        expr: {JsonSerializer.Serialize(query)}\n");
        try
        {
            var (code, output) = Promtool("check", "rules", file);
            Assert.True(code == 0, $"the ScaledObject's query does not parse:\n{output}");
        }
        finally
        {
            File.Delete(file);
        }

        // Without the overlay, no scaler and fixed replicas.
        Assert.Empty(Kustomize.Cluster("overlays/gpu").All<ScaledObject>());
    }

    /// <summary>The groups of a rules file, in the PrometheusRule's model (any other field fails the strict load).</summary>
    private static List<RuleGroup> Groups(string yaml) =>
        k8s.KubernetesYaml.Deserialize<RulesFileModel>(yaml, strict: true).Groups;

    /// <summary>JSON with every object's keys in order: kustomize sorts map keys (annotations, labels).</summary>
    private static string Json(object value)
    {
        static System.Text.Json.Nodes.JsonNode? Sorted(System.Text.Json.Nodes.JsonNode? node) => node switch
        {
            System.Text.Json.Nodes.JsonObject o => new System.Text.Json.Nodes.JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value?.DeepClone())))),
            System.Text.Json.Nodes.JsonArray a => new System.Text.Json.Nodes.JsonArray(a.Select(i => Sorted(i?.DeepClone())).ToArray()),
            _ => node?.DeepClone(),
        };
        var options = new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull, WriteIndented = true };
        return Sorted(JsonSerializer.SerializeToNode(value, options))!.ToJsonString(options);
    }

    private static readonly string? PromtoolPath = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists);

    private static (int ExitCode, string Output) Promtool(params string[] args)
    {
        Assert.SkipWhen(PromtoolPath is null, "promtool is not installed (scripts/setup.sh installs Debian's prometheus package)");
        using var promtool = ChildProcess.Start(PromtoolPath!, args);
        Assert.True(promtool.WaitForExit(TimeSpan.FromMinutes(1)), $"promtool {string.Join(' ', args)} did not finish within a minute");
        return (promtool.ExitCode, promtool.Printed);
    }

    public sealed class RulesFileModel
    {
        public List<RuleGroup> Groups { get; set; } = [];
    }

    [GeneratedRegex(@"alertname:\s*(\w+)")]
    private static partial Regex AlertName();

    [GeneratedRegex(@"""(unlearning\.[a-z.]+)""")]
    private static partial Regex ExportedName();

    [GeneratedRegex(@"(?:_seconds|_bytes)?(?:_bucket|_count|_sum|_total)?$")]
    private static partial Regex UnitSuffix();

    [GeneratedRegex("""kube_deployment_spec_replicas\{deployment=~"([^"]+)"\}""")]
    private static partial Regex DeploymentSelector();
}
