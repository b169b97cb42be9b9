using System.Text.Json;

namespace Unlearning.Grains;

/// <summary>What removing a silo would cost, as Kubernetes' pod-deletion-cost annotation (an int32; a
/// ReplicaSet scaling down removes the pods of lowest cost first, best effort): a running cell would
/// have to drain or checkpoint and resume, so it weighs far more than a queued one, which only moves.
/// An idle silo costs 0.</summary>
public static class PodDeletionCost
{
    public const string Annotation = "controller.kubernetes.io/pod-deletion-cost";
    public const int PerRunningCell = 1000;

    public static int For(int running, int queued) =>
        (int)Math.Min(int.MaxValue, (long)Math.Max(0, running) * PerRunningCell + Math.Max(0, queued));

    /// <summary>The JSON merge patch that sets the annotation.</summary>
    public static string Patch(int cost) => JsonSerializer.Serialize(new
    {
        metadata = new { annotations = new Dictionary<string, string> { [Annotation] = cost.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
    });
}
