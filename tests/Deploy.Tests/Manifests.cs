using k8s;
using k8s.Models;

namespace Unlearning.Deploy.Tests;

/// <summary>Loads rendered manifests into the Kubernetes client's typed models, strictly: a field the
/// model does not have (a typo, a wrong indentation) throws.</summary>
internal static class Manifests
{
    /// <summary>Types for what the client library does not know (the Prometheus Operator's CRD).</summary>
    public static readonly IDictionary<string, Type> TypeMap = new Dictionary<string, Type>
    {
        ["monitoring.coreos.com/v1/ServiceMonitor"] = typeof(ServiceMonitor),
    };

    // LoadAllFromString is the only loader that honours strict (the file and stream variants drop it).
    public static List<object> Load(string yaml) => KubernetesYaml.LoadAllFromString(yaml, TypeMap, strict: true);
}

/// <summary>The part of monitoring.coreos.com/v1 ServiceMonitor these manifests use; any other field fails the strict load.</summary>
public sealed class ServiceMonitor
{
    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public V1ObjectMeta Metadata { get; set; } = new();
    public ServiceMonitorSpec Spec { get; set; } = new();
}

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
