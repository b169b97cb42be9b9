using k8s.Models;

namespace Unlearning.Deploy.Tests;

/// <summary>Issue 24: silos that stay Pending on common GPU clusters, drains that never finish, pods that
/// cannot run on GPU-only node pools, preemption.</summary>
[Trait("Category", "Deploy")]
public sealed class SchedulingTests
{
    /// <summary>Allocatable CPU and memory of common one-GPU nodes, less what the provider reserves
    /// (kube-reserved, system-reserved, eviction threshold; rounded down) and a margin of 0.5 CPU and 1 GiB
    /// for the daemon sets every GPU node runs (device plugin, DCGM exporter, CNI, kube-proxy, logging).
    /// docs/deploy.md, step 0, gives the same table.</summary>
    public static TheoryData<string, double, double> OneGpuNodes => new()
    {
        { "AWS g5.xlarge (4 vCPU, 16 GiB)", 3.9 - 0.5, 14.3 - 1 },
        { "AWS g5.2xlarge (8 vCPU, 32 GiB)", 7.9 - 0.5, 29.5 - 1 },
        { "GCP g2-standard-4 (4 vCPU, 16 GB)", 3.9 - 0.5, 12.3 - 1 },
        { "GCP g2-standard-8 (8 vCPU, 32 GB)", 7.9 - 0.5, 26.3 - 1 },
        { "Azure NC4as_T4_v3 (4 vCPU, 28 GiB)", 3.8 - 0.5, 22 - 1 },
    };

    [Theory]
    [MemberData(nameof(OneGpuNodes))]
    public void A_gpu_silo_fits_a_common_one_gpu_node(string node, double cpu, double memoryGiB)
    {
        var requests = GpuSilo().Containers.Single().Resources.Requests;
        Assert.True((double)requests["cpu"].ToDecimal() <= cpu, $"{node}: the silo asks for {requests["cpu"]} CPUs, {cpu} are free");
        Assert.True((double)requests["memory"].ToDecimal() / (1L << 30) <= memoryGiB, $"{node}: the silo asks for {requests["memory"]}, {memoryGiB} GiB are free");
    }

    [Fact]
    public void Gpu_silos_are_placed_by_their_gpu_request_alone_unless_the_node_selector_component_is_added()
    {
        var silo = GpuSilo();
        Assert.Null(silo.Spec.NodeSelector);
        Assert.Null(silo.Spec.Affinity);

        var selected = new Cluster(Kustomize.ObjectsWith("overlays/gpu", "components/gpu-node-selector")).Silos.Single();
        Assert.Equal(new Dictionary<string, string> { ["nvidia.com/gpu.present"] = "true" }, selected.Spec.NodeSelector);
    }

    /// <summary>With the component added to the overlay, the client and the data loader, every pod of the
    /// namespace can be placed on nodes that all carry the nvidia.com/gpu taint.</summary>
    [Fact]
    public void On_a_gpu_only_cluster_every_pod_tolerates_the_gpu_taint_with_the_component()
    {
        const string component = "components/tolerate-gpu-taint";
        var pods = new Cluster(Kustomize.ObjectsWith("overlays/gpu", component)
            .Concat(Kustomize.ObjectsWith("client", component))
            .Concat(Kustomize.ObjectsWith("data-loader", component)).ToList()).Pods;
        Assert.Equal(["Deployment/silo-gpu", "Job/grid-all", "Pod/data-loader", "StatefulSet/redis"], pods.Select(p => p.Owner).Order());
        Assert.All(pods, p => Assert.True((p.Spec.Tolerations ?? []).Any(t => t.Key == "nvidia.com/gpu" && t.OperatorProperty == "Exists" && t.Effect == "NoSchedule"), $"{p} does not tolerate nvidia.com/gpu:NoSchedule"));
        // They still take no GPU.
        Assert.All(pods.Where(p => !p.IsSilo), p => Assert.DoesNotContain(p.Containers, c => c.Resources?.Limits?.ContainsKey("nvidia.com/gpu") == true));

        // Without it, only the silos tolerate the taint.
        Assert.All(Kustomize.Cluster("overlays/gpu").Pods.Where(p => !p.IsSilo), p => Assert.Null(p.Spec.Tolerations));
    }

    /// <summary>A rollout that surges needs a GPU beyond the replicas and waits forever on a cluster
    /// whose GPUs are all taken; stopping one old silo first frees the GPU its replacement takes.</summary>
    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void Silo_rollouts_free_a_device_before_starting_a_replacement(string overlay)
    {
        foreach (var d in Kustomize.Cluster(overlay).All<V1Deployment>().Where(d => d.Spec.Template.Metadata.Labels["app.kubernetes.io/name"] == "silo"))
        {
            var strategy = d.Spec.Strategy;
            Assert.True(strategy.Type == "Recreate" || (strategy.Type == "RollingUpdate" && strategy.RollingUpdate.MaxSurge.Value == "0" && strategy.RollingUpdate.MaxUnavailable.Value != "0"),
                $"{overlay}: Deployment/{d.Metadata.Name} rolls out with surge {strategy.RollingUpdate?.MaxSurge?.Value}, unavailable {strategy.RollingUpdate?.MaxUnavailable?.Value}");
        }
    }

    /// <summary>A budget that lets one silo go, counts Pending or unready silos as gone, and still lets such
    /// unhealthy silos be evicted: a drain always makes progress.</summary>
    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void The_disruption_budget_never_blocks_a_drain(string overlay)
    {
        var budget = Assert.Single(Kustomize.Cluster(overlay).All<V1PodDisruptionBudget>());
        Assert.Equal("AlwaysAllow", budget.Spec.UnhealthyPodEvictionPolicy);
        Assert.Null(budget.Spec.MinAvailable);
        Assert.Equal("1", budget.Spec.MaxUnavailable?.Value);
    }

    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void Redis_and_silos_outrank_the_client_and_their_classes_exist(string overlay)
    {
        var cluster = Kustomize.Cluster(overlay);
        var classes = cluster.All<V1PriorityClass>().ToDictionary(c => c.Metadata.Name);
        Assert.All(classes.Values, c => Assert.True(c.GlobalDefault != true && c.Value is > 0 and < 1_000_000_000, $"PriorityClass/{c.Metadata.Name}"));
        int Priority(PodShape pod)
        {
            Assert.True(pod.Spec.PriorityClassName is { } name && classes.ContainsKey(name), $"{pod}: priority class '{pod.Spec.PriorityClassName}' is not rendered");
            return classes[pod.Spec.PriorityClassName].Value ?? 0;
        }
        var client = Priority(cluster.Pod("Job/grid-all"));
        Assert.All(cluster.Silos.Append(cluster.Pod("StatefulSet/redis")), p => Assert.True(Priority(p) > client, $"{p} does not outrank the client"));
        Assert.Equal("Never", classes[cluster.Pod("Job/grid-all").Spec.PriorityClassName].PreemptionPolicy);
    }

    private static PodShape GpuSilo() => Assert.Single(Kustomize.Cluster("overlays/gpu").Silos);
}
