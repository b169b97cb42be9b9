using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.TestingHost;

namespace Unlearning.Grains.Tests;

/// <summary>An in-process cluster of grid silos (memory storage), each with the executor settings
/// <see cref="Executor"/> gives its name (Silo_0, Silo_1, ...), ready once every silo knows the
/// others' hardware metadata.</summary>
public abstract class ClusterFixture(int silos) : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;
    public string OutDir { get; } = Path.Combine(Path.GetTempPath(), $"grid-tests-{Guid.NewGuid():N}");

    /// <summary>The silos' artifact store (inside <see cref="OutDir"/>).</summary>
    public string ArtifactDir => Path.Combine(OutDir, "artifacts");

    protected abstract CellExecutorOptions Executor(string siloName);

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((options, silo) =>
        {
            silo.AddMemoryGrainStorage(GridStorage.Name);
            silo.UseInMemoryReminderService();
            silo.AddGridServices(Executor(options.SiloName), new StorageOptions { Data = OutDir, Artifacts = ArtifactDir });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        await WaitForMetadata();
    }

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

/// <summary>Three silos: Silo_0 announces one GPU and one device slot (it computes on the CPU: the
/// tests run without a GPU), Silo_1 and Silo_2 are CPU silos with two slots.</summary>
public sealed class GridClusterFixture() : ClusterFixture(3)
{
    protected override CellExecutorOptions Executor(string siloName) => siloName == "Silo_0"
        ? new CellExecutorOptions { Gpus = 1, Slots = 1, Device = "cpu" }
        : new CellExecutorOptions { Gpus = 0, Slots = 2, Device = "cpu" };
}

/// <summary>Two CPU silos with one device slot each: the usual shape of a cluster without GPUs.</summary>
public sealed class CpuClusterFixture() : ClusterFixture(2)
{
    protected override CellExecutorOptions Executor(string siloName) => new() { Gpus = 0, Slots = 1, Device = "cpu" };
}

/// <summary>One CPU silo whose cells may hold a slot for 2 s at most.</summary>
public sealed class TimeLimitedClusterFixture() : ClusterFixture(1)
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);

    protected override CellExecutorOptions Executor(string siloName) => new() { Gpus = 0, Slots = 1, Device = "cpu", TimeLimit = Limit };
}
