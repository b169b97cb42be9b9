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
            var values = metadata.GetSiloMetadata(m.SiloAddress).Metadata;
            int Int(string key) => values.TryGetValue(key, out var text) && int.TryParse(text, out var n) ? n : 0;
            return new SiloDevices(m.Name, Int(SiloHardware.GpuKey), Int(SiloHardware.SlotsKey));
        })
        .OrderBy(s => s.Silo, StringComparer.Ordinal)
        .ToList());
}
