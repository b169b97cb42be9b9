using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Unlearning.Grains;

/// <summary>Places an activation on a silo that announces GPUs when the cluster has any, and on
/// any compatible silo otherwise; among candidates, the one this silo has placed the fewest cells on
/// per device slot (cells of a grid are placed from the grid's silo, so this spreads them evenly).</summary>
[GenerateSerializer, Immutable, Alias("Unlearning.GpuPreferredPlacement")]
public sealed class GpuPreferredPlacement : PlacementStrategy
{
    public static readonly GpuPreferredPlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class GpuPreferredPlacementAttribute() : PlacementAttribute(GpuPreferredPlacement.Instance);

public sealed class GpuPreferredPlacementDirector(ISiloMetadataCache metadata) : IPlacementDirector
{
    private readonly Dictionary<SiloAddress, int> _placed = new();

    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        if (silos.Length == 0) throw new OrleansException($"no compatible silo for {target.GrainIdentity}");
        var candidates = silos.Select(s => (Silo: s, Hardware: Read(s))).ToList();
        var gpu = candidates.Where(c => c.Hardware.Gpus > 0).ToList();
        var pool = gpu.Count > 0 ? gpu : candidates;
        lock (_placed)
        {
            var chosen = pool
                .OrderBy(c => (_placed.GetValueOrDefault(c.Silo) + 1.0) / Math.Max(1, c.Hardware.Slots))
                .ThenBy(_ => Random.Shared.Next())
                .First().Silo;
            _placed[chosen] = _placed.GetValueOrDefault(chosen) + 1;
            return Task.FromResult(chosen);
        }
    }

    private (int Gpus, int Slots) Read(SiloAddress silo)
    {
        var values = metadata.GetSiloMetadata(silo).Metadata;
        return (Int(values, SiloHardware.GpuKey), Int(values, SiloHardware.SlotsKey));
    }

    private static int Int(IReadOnlyDictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var text) && int.TryParse(text, out var n) ? n : 0;
}
