using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Unlearning.Grains;

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
        var (gpus, slots) = SiloHardware.FromMetadata(metadata.GetSiloMetadata(silo).Metadata);
        return new SiloOffer(gpus, slots, placed);
    }
}
