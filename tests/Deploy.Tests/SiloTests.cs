using k8s.Models;
using Unlearning.Grains;

namespace Unlearning.Deploy.Tests;

/// <summary>The silo pods against the silo's contract: ports, probes, shutdown, addresses, storage, scraping.</summary>
[Trait("Category", "Deploy")]
public sealed class SiloTests
{
    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void Silos_declare_the_default_ports(string overlay)
    {
        var defaults = new ClusterSettings();
        foreach (var silo in Silos(overlay))
        {
            var ports = silo.Containers.Single().Ports.ToDictionary(p => p.Name, p => p.ContainerPort);
            Assert.Equal(new Dictionary<string, int> { ["silo"] = defaults.SiloPort, ["gateway"] = defaults.GatewayPort, ["metrics"] = MetricsOptions.DefaultPort }, ports);
            var env = Env(silo);
            Assert.DoesNotContain("Cluster__SiloPort", env.Keys);
            Assert.DoesNotContain("Cluster__GatewayPort", env.Keys);
            Assert.DoesNotContain("Metrics__Port", env.Keys);
        }
    }

    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void Probes_call_the_silo_endpoints_on_the_metrics_port(string overlay)
    {
        foreach (var silo in Silos(overlay))
        {
            var container = silo.Containers.Single();
            foreach (var (probe, path) in new[] { (container.StartupProbe, SiloEndpoints.Startup), (container.ReadinessProbe, SiloEndpoints.Ready), (container.LivenessProbe, SiloEndpoints.Live) })
            {
                Assert.True(probe?.HttpGet is not null, $"{silo}: a probe for {path} is missing");
                Assert.Equal(path, probe.HttpGet.Path);
                Assert.Equal(MetricsOptions.DefaultPort, silo.Port(probe.HttpGet.Port)?.ContainerPort);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void A_stopping_silo_gets_longer_than_its_drain_and_shutdown(string overlay)
    {
        foreach (var silo in Silos(overlay))
        {
            var env = silo.Containers.Single().Env.ToDictionary(e => e.Name, e => e.Value);
            var drain = env.TryGetValue("Cells__DrainTimeout", out var value) ? TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : TimeSpan.Zero;
            double stop = (drain + SiloEndpoints.ShutdownTimeout).TotalSeconds;
            Assert.True(silo.Spec.TerminationGracePeriodSeconds > stop,
                $"{silo}: terminationGracePeriodSeconds {silo.Spec.TerminationGracePeriodSeconds} is not longer than the silo's drain and shutdown ({stop} s)");
        }
    }

    /// <summary>The overlay that scales on waiting cells removes idle silos first: each silo publishes its
    /// deletion cost (its own pod's name and namespace from the downward API) and drains when stopped.</summary>
    [Fact]
    public void Autoscaled_silos_publish_their_deletion_cost_and_drain()
    {
        foreach (var silo in Silos("overlays/gpu-keda"))
        {
            var env = silo.Containers.Single().Env.ToDictionary(e => e.Name);
            Assert.Equal("true", env["Pod__DeletionCost"].Value);
            Assert.Equal("metadata.name", env["Pod__Name"].ValueFrom?.FieldRef?.FieldPath);
            Assert.Equal("metadata.namespace", env["Pod__Namespace"].ValueFrom?.FieldRef?.FieldPath);
            Assert.True(TimeSpan.Parse(env["Cells__DrainTimeout"].Value, System.Globalization.CultureInfo.InvariantCulture) > TimeSpan.Zero);
            Assert.True(silo.Spec.AutomountServiceAccountToken, $"{silo}: the deletion cost needs the pod's API token");
        }
    }

    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void Silos_advertise_their_pod_ip_and_name(string overlay)
    {
        foreach (var silo in Silos(overlay))
        {
            var env = silo.Containers.Single().Env.ToDictionary(e => e.Name);
            Assert.Equal("status.podIP", env["Cluster__AdvertisedIp"].ValueFrom?.FieldRef?.FieldPath);
            Assert.Equal("metadata.name", env["Cluster__SiloName"].ValueFrom?.FieldRef?.FieldPath);
        }
    }

    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void Silos_and_client_use_the_redis_service(string overlay)
    {
        var cluster = Kustomize.Cluster(overlay);
        var addresses = cluster.Silos.Select(s => Env(s)["Cluster__Redis"])
            .Append(Env(cluster.Pod("Job/grid-all"))["UNLEARN_CLUSTER"]).Distinct().ToList();
        var address = Assert.Single(addresses);
        var uri = new Uri(address);
        Assert.Equal("redis", uri.Scheme);
        var service = Assert.Single(cluster.All<V1Service>(), s => s.Metadata.Name == uri.Host);
        var port = Assert.Single(service.Spec.Ports, p => p.Port == uri.Port);
        Assert.All(cluster.Selected(service.Spec.Selector), redis => Assert.NotNull(redis.Port(port.TargetPort)));
    }

    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void Storage_settings_point_at_the_shared_volumes(string overlay)
    {
        var cluster = Kustomize.Cluster(overlay);
        foreach (var silo in cluster.Silos)
        {
            var env = Env(silo);
            Assert.Equal("unlearning-data", ClaimMountedAt(silo, env["Storage__Data"]));
            Assert.Equal("unlearning-artifacts", ClaimMountedAt(silo, env["Storage__Artifacts"]));
        }
        foreach (var claim in cluster.All<V1PersistentVolumeClaim>())
            Assert.Equal(["ReadWriteMany"], claim.Spec.AccessModes);
    }

    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void Silo_pods_carry_the_prometheus_scrape_annotations(string overlay)
    {
        foreach (var silo in Silos(overlay))
        {
            var annotations = silo.Annotations ?? new Dictionary<string, string>();
            Assert.Equal("true", annotations["prometheus.io/scrape"]);
            Assert.Equal(MetricsOptions.DefaultPort.ToString(System.Globalization.CultureInfo.InvariantCulture), annotations["prometheus.io/port"]);
            Assert.Equal(SiloEndpoints.Metrics, annotations["prometheus.io/path"]);
        }
    }

    [Fact]
    public void Gpu_silos_ask_for_a_gpu_and_tolerate_the_gpu_taint()
    {
        var silo = Assert.Single(Silos("overlays/gpu"));
        var container = silo.Containers.Single();
        // An extended resource: request and limit equal (Kubernetes rejects them otherwise).
        Assert.Equal(1, container.Resources.Limits["nvidia.com/gpu"].ToInt32());
        Assert.Equal(1, container.Resources.Requests["nvidia.com/gpu"].ToInt32());
        var toleration = Assert.Single(silo.Spec.Tolerations);
        Assert.Equal(("nvidia.com/gpu", "Exists", "NoSchedule"), (toleration.Key, toleration.OperatorProperty, toleration.Effect));
        Assert.Equal("cuda", Env(silo)["Cells__Device"]);
        Assert.True(Images.DockerfileOf(container.Image).Build.Publish!.Value.Words.Contains("-p:UseCuda=true"), $"{silo} does not run the CUDA image");
    }

    [Fact]
    public void Cpu_silos_use_no_gpu_and_one_slot_per_requested_core()
    {
        var silo = Assert.Single(Silos("overlays/cpu"));
        var container = silo.Containers.Single();
        var env = Env(silo);
        Assert.Equal("cpu", env["Cells__Device"]);
        Assert.Equal("0", env["Cells__Gpus"]);
        // Without a CPU limit the process sees every core of the node, so the slots are set.
        Assert.Equal(container.Resources.Requests["cpu"].ToInt32(), int.Parse(env["Cells__Slots"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(container.Resources.Limits?.ContainsKey("nvidia.com/gpu") ?? false);
        Assert.Null(silo.Spec.Tolerations);
        Assert.False(Images.DockerfileOf(container.Image).Build.Publish!.Value.Words.Contains("-p:UseCuda=true"));
    }

    private static List<PodShape> Silos(string overlay)
    {
        var silos = Kustomize.Cluster(overlay).Silos.ToList();
        Assert.NotEmpty(silos);
        return silos;
    }

    internal static Dictionary<string, string> Env(PodShape pod) =>
        pod.Containers.Single().Env.Where(e => e.Value is not null).ToDictionary(e => e.Name, e => e.Value);

    /// <summary>The claim of the volume mounted exactly at <paramref name="path"/>.</summary>
    internal static string? ClaimMountedAt(PodShape pod, string path)
    {
        var mount = pod.Containers.Single().VolumeMounts.SingleOrDefault(m => m.MountPath.TrimEnd('/') == path.TrimEnd('/'));
        Assert.True(mount is not null, $"{pod}: nothing is mounted at {path}");
        return pod.Spec.Volumes.Single(v => v.Name == mount.Name).PersistentVolumeClaim?.ClaimName;
    }
}
