using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Unlearning.Grains;

/// <summary>Places an activation by <see cref="PlacementRule"/>: on a silo that announces GPUs when
/// the cluster has any, else on any compatible silo; the one this silo has placed the fewest cells on
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
        lock (_placed)
        {
            var offers = silos.Select(s => Offer(s, _placed.GetValueOrDefault(s))).ToList();
            var chosen = silos[PlacementRule.Choose(offers, Random.Shared)];
            _placed[chosen] = _placed.GetValueOrDefault(chosen) + 1;
            return Task.FromResult(chosen);
        }
    }

    private SiloOffer Offer(SiloAddress silo, int placed)
    {
        var values = metadata.GetSiloMetadata(silo).Metadata;
        return new SiloOffer(Int(values, SiloHardware.GpuKey), Int(values, SiloHardware.SlotsKey), placed);
    }

    private static int Int(IReadOnlyDictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var text) && int.TryParse(text, out var n) ? n : 0;
}
