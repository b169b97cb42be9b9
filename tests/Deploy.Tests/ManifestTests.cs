using k8s;
using k8s.Models;

namespace Unlearning.Deploy.Tests;

[Trait("Category", "Deploy")]
public sealed class ManifestTests
{
    [Theory]
    [MemberData(nameof(Kustomize.AllData), MemberType = typeof(Kustomize))]
    public void Every_kustomization_renders_into_typed_objects_of_the_namespace(string kustomization)
    {
        var objects = Kustomize.Objects(kustomization);

        Assert.NotEmpty(objects);
        foreach (var o in objects)
        {
            var (kind, name, ns) = o switch
            {
                IKubernetesObject<V1ObjectMeta> k => (k.Kind, k.Metadata.Name, k.Metadata.NamespaceProperty),
                _ => throw new InvalidOperationException($"{kustomization}: untyped object {o}"),
            };
            Assert.False(string.IsNullOrEmpty(name), $"{kustomization}: a {kind} without a name");
            Assert.True(ClusterScoped.Contains(kind) ? ns is null : ns == Namespace, $"{kustomization}: {kind}/{name} is in namespace '{ns}'");
        }
    }

    [Fact]
    public void Silo_overlays_ship_the_dashboard()
    {
        foreach (var overlay in Kustomize.SiloOverlays)
        {
            var dashboard = Assert.Single(Kustomize.Cluster(overlay).All<V1ConfigMap>(), c => c.Metadata.Name == "unlearning-grid-dashboard");
            Assert.Equal("1", dashboard.Metadata.Labels["grafana_dashboard"]);
            Assert.True(dashboard.Data.ContainsKey("unlearning-grid.json"), $"{overlay}: the dashboard ConfigMap has no unlearning-grid.json");
        }
    }

    /// <summary>Issue 24: <c>kubectl delete -k</c> of an overlay or the client deleted the namespace and with
    /// it the claims and the Secret. The namespace is the user's (docs: kubectl create namespace), the claims
    /// live in deploy/k8s/data only, and the Secret in no kustomization.</summary>
    [Fact]
    public void Deleting_the_application_keeps_the_namespace_and_the_data()
    {
        var application = Kustomize.SiloOverlays.Concat(["client", "data-loader"]);
        foreach (var kustomization in application)
            foreach (var o in Kustomize.Objects(kustomization))
                Assert.False(o is V1Namespace or V1PersistentVolumeClaim or V1Secret, $"kubectl delete -k deploy/k8s/{kustomization} would delete {((IKubernetesObject)o).Kind}/{((IMetadata<V1ObjectMeta>)o).Metadata.Name}");
        Assert.DoesNotContain(Kustomize.All.SelectMany(Kustomize.Objects), o => o is V1Namespace or V1Secret);

        var data = Kustomize.Objects("data");
        Assert.All(data, o => Assert.IsType<V1PersistentVolumeClaim>(o));
        Assert.Equal(["unlearning-artifacts", "unlearning-data"], data.Cast<V1PersistentVolumeClaim>().Select(c => c.Metadata.Name).Order());
        Assert.Contains("kubectl create namespace unlearning", Repo.Read("docs/deploy.md"), StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_servicemonitor_overlay_has_a_servicemonitor_and_it_scrapes_the_silos_metrics()
    {
        Assert.Empty(Kustomize.Cluster("overlays/gpu").All<ServiceMonitor>());
        var cluster = Kustomize.Cluster("overlays/gpu-servicemonitor");
        var monitor = Assert.Single(cluster.All<ServiceMonitor>());
        var services = cluster.All<V1Service>().Where(s => Cluster.Matches(monitor.Spec.Selector, s.Metadata.Labels ?? new Dictionary<string, string>())).ToList();
        var service = Assert.Single(services);
        Assert.All(cluster.Selected(service.Spec.Selector), p => Assert.True(p.IsSilo, $"{service.Metadata.Name} selects {p}"));
        var endpoint = Assert.Single(monitor.Spec.Endpoints);
        var port = Assert.Single(service.Spec.Ports, p => p.Name == endpoint.Port);
        Assert.All(cluster.Selected(service.Spec.Selector), pod => Assert.Equal(Grains.MetricsOptions.DefaultPort, pod.Port(port.TargetPort)?.ContainerPort));
        Assert.Equal(Grains.SiloEndpoints.Metrics, endpoint.Path);
    }

    /// <summary>The strict load is what makes the tests above catch a misspelt or misplaced field.</summary>
    [Fact]
    public void Strict_loading_rejects_a_field_the_model_does_not_have()
    {
        const string deployment = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: d
            spec:
              selector:
                matchLabels: {app: a}
              template:
                metadata:
                  labels: {app: a}
                spec:
                  containers:
                    - name: c
                      image: i
                      FIELD
            """;
        const string monitor = """
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata:
              name: m
            spec:
              selector:
                matchLabels: {app: a}
              endpoints:
                - port: metrics
                  FIELD
            """;
        foreach (var (yaml, knownField) in new[] { (deployment, "imagePullPolicy: Always"), (monitor, "path: /metrics") })
        {
            Assert.Single(Manifests.Load(yaml.Replace("FIELD", knownField, StringComparison.Ordinal)));
            Assert.ThrowsAny<YamlDotNet.Core.YamlException>(() => Manifests.Load(yaml.Replace("FIELD", "bogusField: 1", StringComparison.Ordinal)));
        }
    }

    private const string Namespace = "unlearning";

    private static readonly HashSet<string> ClusterScoped = ["PriorityClass"];
}
