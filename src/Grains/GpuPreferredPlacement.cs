using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Unlearning.Grains;

/// <summary>Places an activation on a silo that announces GPUs when the cluster has any, and on
/// any compatible silo otherwise; among candidates, chosen at random weighted by device slots.</summary>
[GenerateSerializer, Immutable, Alias("Unlearning.GpuPreferredPlacement")]
public sealed class GpuPreferredPlacement : PlacementStrategy
{
    public static readonly GpuPreferredPlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class GpuPreferredPlacementAttribute() : PlacementAttribute(GpuPreferredPlacement.Instance);

public sealed class GpuPreferredPlacementDirector(ISiloMetadataCache metadata) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        if (silos.Length == 0) throw new OrleansException($"no compatible silo for {target.GrainIdentity}");
        var candidates = silos.Select(s => (Silo: s, Hardware: Read(s))).ToList();
        var gpu = candidates.Where(c => c.Hardware.Gpus > 0).ToList();
        var pool = gpu.Count > 0 ? gpu : candidates;
        int total = pool.Sum(c => Math.Max(1, c.Hardware.Slots));
        int pick = Random.Shared.Next(total);
        foreach (var (silo, hardware) in pool)
        {
            pick -= Math.Max(1, hardware.Slots);
            if (pick < 0) return Task.FromResult(silo);
        }
        return Task.FromResult(pool[^1].Silo);
    }

    private (int Gpus, int Slots) Read(SiloAddress silo)
    {
        var values = metadata.GetSiloMetadata(silo).Metadata;
        return (Int(values, SiloHardware.GpuKey), Int(values, SiloHardware.SlotsKey));
    }

    private static int Int(IReadOnlyDictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var text) && int.TryParse(text, out var n) ? n : 0;
}
