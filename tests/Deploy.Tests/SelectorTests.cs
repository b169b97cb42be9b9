using k8s.Models;

namespace Unlearning.Deploy.Tests;

/// <summary>Selectors select what they are meant to, and the ports they name exist on those pods.</summary>
[Trait("Category", "Deploy")]
public sealed class SelectorTests
{
    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void Workload_selectors_match_their_own_pod_templates(string overlay)
    {
        var cluster = Kustomize.Cluster(overlay);
        foreach (var d in cluster.All<V1Deployment>())
            Assert.True(Cluster.Matches(d.Spec.Selector, d.Spec.Template.Metadata.Labels), $"{overlay}: Deployment/{d.Metadata.Name} does not select its template");
        foreach (var s in cluster.All<V1StatefulSet>())
        {
            Assert.True(Cluster.Matches(s.Spec.Selector, s.Spec.Template.Metadata.Labels), $"{overlay}: StatefulSet/{s.Metadata.Name} does not select its template");
            Assert.Contains(cluster.All<V1Service>(), svc => svc.Metadata.Name == s.Spec.ServiceName);
        }
        // Two workloads selecting each other's pods would fight over them.
        var workloads = cluster.All<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Selector))
            .Concat(cluster.All<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Selector))).ToList();
        foreach (var (name, selector) in workloads)
        {
            var owners = cluster.Selected(selector).Select(p => p.Owner).Where(o => !o.StartsWith("Job/", StringComparison.Ordinal) && !o.StartsWith("Pod/", StringComparison.Ordinal)).ToList();
            Assert.True(owners.Count == 1, $"{overlay}: the selector of {name} matches the pods of {string.Join(", ", owners)}");
        }
        Assert.NotEmpty(workloads);
    }

    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void Services_select_pods_that_declare_their_target_ports(string overlay)
    {
        var cluster = Kustomize.Cluster(overlay);
        foreach (var service in cluster.All<V1Service>())
        {
            var pods = cluster.Selected(service.Spec.Selector).ToList();
            Assert.True(pods.Count > 0, $"{overlay}: Service/{service.Metadata.Name} selects no pod");
            foreach (var port in service.Spec.Ports)
                foreach (var pod in pods)
                    Assert.True(pod.Port(port.TargetPort ?? port.Port) is not null,
                        $"{overlay}: Service/{service.Metadata.Name} port {port.Name} targets '{port.TargetPort?.Value}', which {pod} does not declare");
        }
    }

    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void The_disruption_budget_covers_every_silo_and_lets_one_go_at_a_time(string overlay)
    {
        var cluster = Kustomize.Cluster(overlay);
        var budget = Assert.Single(cluster.All<V1PodDisruptionBudget>());
        Assert.Equal(cluster.Silos.Select(p => p.Owner).Order(), cluster.Selected(budget.Spec.Selector).Select(p => p.Owner).Order());
        Assert.NotEmpty(cluster.Silos);
    }

    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void Network_policies_select_existing_pods_and_ports(string overlay)
    {
        var cluster = Kustomize.Cluster(overlay);
        foreach (var policy in cluster.All<V1NetworkPolicy>())
        {
            var targets = cluster.Selected(policy.Spec.PodSelector).ToList();
            Assert.True(targets.Count > 0, $"{overlay}: NetworkPolicy/{policy.Metadata.Name} applies to no pod");
            foreach (var rule in policy.Spec.Ingress ?? [])
            {
                foreach (var peer in rule.FromProperty ?? [])
                    if (peer.PodSelector is { } from && peer.NamespaceSelector is null)
                        Assert.True(cluster.Selected(from).Any(), $"{overlay}: NetworkPolicy/{policy.Metadata.Name} admits pods that do not exist ({string.Join(',', from.MatchLabels)})");
                foreach (var port in rule.Ports ?? [])
                    foreach (var pod in targets)
                        Assert.True(pod.Port(port.Port) is not null, $"{overlay}: NetworkPolicy/{policy.Metadata.Name} opens port '{port.Port.Value}', which {pod} does not declare");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void Ingress_is_denied_by_default_and_let_in_only_as_the_grid_needs(string overlay)
    {
        var cluster = Kustomize.Cluster(overlay);
        var denyAll = Assert.Single(cluster.All<V1NetworkPolicy>(), p => p.Spec.PodSelector.MatchLabels is null && p.Spec.PodSelector.MatchExpressions is null);
        Assert.Equal(["Ingress"], denyAll.Spec.PolicyTypes);
        Assert.Null(denyAll.Spec.Ingress);

        var silo = cluster.Silos.First();
        var redis = cluster.Pod("StatefulSet/redis");
        var client = cluster.Pod("Job/grid-all");
        var loader = cluster.Pod("Pod/data-loader");
        var ports = new Grains.ClusterSettings();

        Assert.True(Admits(cluster, silo, redis, 6379), "silo -> redis");
        Assert.True(Admits(cluster, client, redis, 6379), "client -> redis");
        Assert.False(Admits(cluster, loader, redis, 6379), "data-loader -> redis");
        Assert.True(Admits(cluster, silo, silo, ports.SiloPort), "silo -> silo port");
        Assert.True(Admits(cluster, silo, silo, ports.GatewayPort), "silo -> gateway");
        Assert.True(Admits(cluster, client, silo, ports.GatewayPort), "client -> gateway");
        Assert.False(Admits(cluster, client, silo, ports.SiloPort), "client -> silo port");
        Assert.False(Admits(cluster, loader, silo, ports.GatewayPort), "data-loader -> gateway");
        Assert.False(Admits(cluster, silo, client, ports.GatewayPort), "nothing listens on the client");

        // Prometheus, from its own namespace, reaches the metrics port and nothing else.
        var prometheus = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "monitoring" };
        Assert.True(AdmitsNamespace(cluster, prometheus, silo, Grains.MetricsOptions.DefaultPort), "monitoring -> metrics");
        Assert.False(AdmitsNamespace(cluster, prometheus, silo, ports.GatewayPort), "monitoring -> gateway");
    }

    /// <summary>Whether some policy lets a pod of this namespace reach <paramref name="to"/> on a port.</summary>
    private static bool Admits(Cluster cluster, PodShape from, PodShape to, int port) =>
        Rules(cluster, to, port).Any(peer => peer.NamespaceSelector is null && peer.PodSelector is { } s && Cluster.Matches(s, from.Labels));

    private static bool AdmitsNamespace(Cluster cluster, IDictionary<string, string> namespaceLabels, PodShape to, int port) =>
        Rules(cluster, to, port).Any(peer => peer.NamespaceSelector is { } s && Cluster.Matches(s, namespaceLabels) && peer.PodSelector is null);

    private static IEnumerable<V1NetworkPolicyPeer> Rules(Cluster cluster, PodShape to, int port) =>
        cluster.All<V1NetworkPolicy>()
            .Where(p => Cluster.Matches(p.Spec.PodSelector, to.Labels))
            .SelectMany(p => p.Spec.Ingress ?? [])
            .Where(r => r.Ports is null || r.Ports.Any(p => to.Port(p.Port)?.ContainerPort == port))
            .SelectMany(r => r.FromProperty ?? []);
}
