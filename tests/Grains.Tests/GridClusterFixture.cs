using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.TestingHost;

namespace Unlearning.Grains.Tests;

/// <summary>An in-process cluster of three silos: Silo_0 announces one GPU and one device slot
/// (it computes on the CPU: the tests run without a GPU), Silo_1 and Silo_2 are CPU silos.</summary>
public sealed class GridClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;
    public string OutDir { get; } = Path.Combine(Path.GetTempPath(), $"grid-tests-{Guid.NewGuid():N}");

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSilo((options, silo) =>
        {
            bool gpu = options.SiloName == "Silo_0";
            silo.AddMemoryGrainStorage(GridStorage.Name);
            silo.AddGridServices(new CellExecutorOptions { Gpus = gpu ? 1 : 0, Slots = gpu ? 1 : 2, Device = "cpu" });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        await WaitForMetadata();
    }

    public CellExecutor Executor(string siloName) =>
        Cluster.Silos.Single(s => s.Name == siloName).ServiceProvider.GetRequiredService<CellExecutor>();

    /// <summary>Silo metadata reaches the other silos' caches shortly after they join.</summary>
    private async Task WaitForMetadata()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            bool complete = Cluster.Silos.All(s =>
            {
                var cache = s.ServiceProvider.GetRequiredService<ISiloMetadataCache>();
                return Cluster.Silos.All(other => cache.GetSiloMetadata(other.SiloAddress).Metadata.ContainsKey(SiloHardware.GpuKey));
            });
            if (complete) return;
            await Task.Delay(100);
        }
        throw new TimeoutException("silo metadata did not propagate within 30 s");
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        if (Directory.Exists(OutDir)) Directory.Delete(OutDir, recursive: true);
    }
}
