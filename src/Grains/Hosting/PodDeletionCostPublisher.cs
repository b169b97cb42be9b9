using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Unlearning.Grains;

/// <summary>Keeps this silo's pod annotated with its <see cref="PodDeletionCost"/>, patching the pod
/// through the Kubernetes API (in-cluster credentials) whenever the cost changes. A failed patch is
/// logged and tried again at the next interval; it never stops the silo or its cells.</summary>
public sealed class PodDeletionCostPublisher(IOptions<PodOptions> options, CellExecutor executor, ILogger<PodDeletionCostPublisher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pod = options.Value;
        Kubernetes client;
        try
        {
            client = new Kubernetes(KubernetesClientConfiguration.InClusterConfig());
        }
        catch (Exception e)
        {
            logger.LogWarning("Cannot reach the Kubernetes API from this pod, so {Annotation} stays unset: {Error}", PodDeletionCost.Annotation, e.Message);
            return;
        }
        using var _ = client;
        int? published = null;
        string? lastError = null;
        using var timer = new PeriodicTimer(pod.Interval);
        do
        {
            int cost = PodDeletionCost.For(executor.Running, executor.Waiting);
            if (cost == published) continue;
            try
            {
                await client.CoreV1.PatchNamespacedPodAsync(new V1Patch(PodDeletionCost.Patch(cost), V1Patch.PatchType.MergePatch), pod.Name, pod.Namespace, cancellationToken: stoppingToken);
                published = cost;
                lastError = null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Once per kind of failure: a missing RBAC rule would otherwise log every 15 s for days.
                if (e.Message != lastError) logger.LogWarning("Could not set {Annotation} on pod {Namespace}/{Pod}: {Error}", PodDeletionCost.Annotation, pod.Namespace, pod.Name, e.Message);
                lastError = e.Message;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
