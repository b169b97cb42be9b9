using Microsoft.Extensions.Configuration;

namespace Unlearning.Grains;

/// <summary>Section "Pod": the silo's own pod, from the Kubernetes downward API. With
/// <c>Pod__DeletionCost=true</c> the silo keeps the annotation <c>controller.kubernetes.io/pod-deletion-cost</c>
/// of <c>Pod__Namespace</c>/<c>Pod__Name</c> at its cells' worth (<see cref="PodDeletionCost"/>), so that
/// scaling its Deployment down removes idle silos first. It needs the pod's service-account token
/// and leave to patch pods (deploy/k8s/components/idle-first-scale-down).</summary>
public sealed class PodOptions
{
    public bool DeletionCost { get; set; }
    public string? Name { get; set; }
    public string? Namespace { get; set; }

    /// <summary>How often the silo compares its cost with the one it last published.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);

    public PodOptions Validate()
    {
        if (!DeletionCost) return this;
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("Pod__DeletionCost=true needs Pod__Name (the pod's metadata.name, from the downward API)");
        if (string.IsNullOrWhiteSpace(Namespace)) throw new ArgumentException("Pod__DeletionCost=true needs Pod__Namespace (the pod's metadata.namespace, from the downward API)");
        if (Interval < TimeSpan.FromSeconds(1) || Interval > TimeSpan.FromHours(1)) throw new ArgumentException($"Pod__Interval must be from 1 s to 1 h, got {Interval}");
        return this;
    }

    /// <summary>The "Pod" section of <paramref name="configuration"/>, validated; off without one.</summary>
    public static PodOptions From(IConfiguration? configuration) =>
        (configuration?.GetSection("Pod").Get<PodOptions>() ?? new PodOptions()).Validate();
}
