using k8s;
using k8s.Models;

namespace Unlearning.Deploy.Tests;

/// <summary>Loads rendered manifests into the Kubernetes client's typed models, strictly: a field the
/// model does not have (a typo, a wrong indentation) throws.</summary>
internal static class Manifests
{
    /// <summary>Types for what the client library does not know: the Prometheus Operator's and KEDA's CRDs,
    /// modelled below with only the fields these manifests may use.</summary>
    public static readonly IDictionary<string, Type> TypeMap = new Dictionary<string, Type>
    {
        ["monitoring.coreos.com/v1/ServiceMonitor"] = typeof(ServiceMonitor),
        ["monitoring.coreos.com/v1/PrometheusRule"] = typeof(PrometheusRule),
        ["keda.sh/v1alpha1/ScaledObject"] = typeof(ScaledObject),
    };

    // LoadAllFromString is the only loader that honours strict (the file and stream variants drop it).
    public static List<object> Load(string yaml) => KubernetesYaml.LoadAllFromString(yaml, TypeMap, strict: true);
}

/// <summary>A custom resource: apiVersion, kind, metadata and a typed spec.</summary>
public abstract class CustomObject<TSpec> : IKubernetesObject<V1ObjectMeta> where TSpec : new()
{
    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public V1ObjectMeta Metadata { get; set; } = new();
    public TSpec Spec { get; set; } = new();
}

/// <summary>The part of monitoring.coreos.com/v1 ServiceMonitor these manifests use; any other field fails the strict load.</summary>
public sealed class ServiceMonitor : CustomObject<ServiceMonitorSpec>;

public sealed class ServiceMonitorSpec
{
    public V1LabelSelector Selector { get; set; } = new();
    public List<ServiceMonitorEndpoint> Endpoints { get; set; } = [];
}

public sealed class ServiceMonitorEndpoint
{
    public string? Port { get; set; }
    public string? Path { get; set; }
    public string? Interval { get; set; }
    public string? ScrapeTimeout { get; set; }
}

/// <summary>monitoring.coreos.com/v1 PrometheusRule: Prometheus rule groups, as in a rules file.</summary>
public sealed class PrometheusRule : CustomObject<PrometheusRuleSpec>;

public sealed class PrometheusRuleSpec
{
    public List<RuleGroup> Groups { get; set; } = [];
}

public sealed class RuleGroup
{
    public string Name { get; set; } = "";
    public string? Interval { get; set; }
    public List<Rule> Rules { get; set; } = [];
}

public sealed class Rule
{
    public string? Alert { get; set; }
    public string? Record { get; set; }
    public string Expr { get; set; } = "";
    public string? For { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
}

/// <summary>keda.sh/v1alpha1 ScaledObject: KEDA's autoscaler of a Deployment on external metrics.</summary>
public sealed class ScaledObject : CustomObject<ScaledObjectSpec>;

public sealed class ScaledObjectSpec
{
    public ScaleTargetRef ScaleTargetRef { get; set; } = new();
    public int? PollingInterval { get; set; }
    public int? CooldownPeriod { get; set; }
    public int? MinReplicaCount { get; set; }
    public int? MaxReplicaCount { get; set; }
    public ScaledObjectAdvanced? Advanced { get; set; }
    public List<ScaleTrigger> Triggers { get; set; } = [];
}

public sealed class ScaleTargetRef
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public string Name { get; set; } = "";
}

public sealed class ScaledObjectAdvanced
{
    public HorizontalPodAutoscalerConfig? HorizontalPodAutoscalerConfig { get; set; }
}

public sealed class HorizontalPodAutoscalerConfig
{
    public V2HorizontalPodAutoscalerBehavior? Behavior { get; set; }
}

public sealed class ScaleTrigger
{
    public string Type { get; set; } = "";
    public string? Name { get; set; }
    public string? MetricType { get; set; }
    public Dictionary<string, string> Metadata { get; set; } = [];
}
