using Orleans.Concurrency;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Unlearning.Grains;

/// <summary>Reads the active silos from membership and their devices from the silo metadata they
/// publish (<see cref="SiloHardware"/>); runs wherever it is called.</summary>
[StatelessWorker]
public sealed class ClusterDevicesGrain(IClusterMembershipService membership, ISiloMetadataCache metadata) : Grain, IClusterDevicesGrain
{
    public Task<List<SiloDevices>> Get() => Task.FromResult(membership.CurrentSnapshot.Members.Values
        .Where(m => m.Status == SiloStatus.Active)
        .Select(m =>
        {
            var (gpus, slots) = SiloHardware.FromMetadata(metadata.GetSiloMetadata(m.SiloAddress).Metadata);
            return new SiloDevices(m.Name, gpus, slots);
        })
        .OrderBy(s => s.Silo, StringComparer.Ordinal)
        .ToList());
}
