using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Serialization;
using Orleans.Storage;
using Unlearning.Util;

namespace Unlearning.Grains;

/// <summary>Everything a grid silo needs, shared by the standalone silo and the client's embedded silo.</summary>
public static class GridSilo
{
    public static ISiloBuilder AddUnlearningGrid(this ISiloBuilder silo, ClusterSettings cluster, IConfiguration configuration)
    {
        if (cluster.UsesRedis)
        {
            silo.UseRedisClustering(o => o.ConfigurationOptions = cluster.RedisOptions());
            silo.AddRedisGrainStorage(GridStorage.Name, o => o.ConfigurationOptions = cluster.RedisOptions());
            silo.UseRedisReminderService(o => o.ConfigurationOptions = cluster.RedisOptions());
            // The strongly consistent in-cluster directory: the default one is eventually consistent and, when a
            // silo dies, may let a grain activate twice, which for a cell means computing it twice (seen once in
            // 10,010 cells when the grid's silo was killed: docs/benchmarks.md). Orleans marks it experimental.
#pragma warning disable ORLEANSEXP003
            silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
            silo.Configure<ClusterOptions>(o => { o.ClusterId = cluster.ClusterId; o.ServiceId = cluster.ServiceId; });
            if (cluster.AdvertisedIp is { } ip)
                silo.ConfigureEndpoints(IPAddress.Parse(ip), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
            else
                silo.ConfigureEndpoints(cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
        }
        else
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort,
                new IPEndPoint(IPAddress.Loopback, cluster.PrimarySiloPort ?? cluster.SiloPort), cluster.ServiceId, cluster.ClusterId);
            silo.AddMemoryGrainStorage(GridStorage.Name);
            silo.UseInMemoryReminderService();
        }
        if (cluster.SiloName is { } name) silo.Configure<SiloOptions>(o => o.SiloName = name);
        // Membership__ProbeTimeout, Membership__NumMissedProbesLimit, ... (Orleans' ClusterMembershipOptions).
        silo.Services.Configure<ClusterMembershipOptions>(configuration.GetSection("Membership"));
        var pod = PodOptions.From(configuration);
        if (pod.DeletionCost)
        {
            if (!k8s.KubernetesClientConfiguration.IsInCluster())
                throw new ArgumentException("Pod__DeletionCost=true needs the Kubernetes API from inside a pod: no service-account token is mounted " +
                                            "(automountServiceAccountToken; deploy/k8s/components/idle-first-scale-down sets it)");
            silo.Services.AddSingleton(Options.Create(pod));
            silo.Services.AddHostedService<PodDeletionCostPublisher>();
        }
        return silo.AddGridServices(configuration.GetSection("Cells").Get<CellExecutorOptions>() ?? new CellExecutorOptions(),
            configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions());
    }

    /// <summary>The grid's own parts, independent of clustering and grain storage: the cell executor
    /// with this silo's data and artifact store, the hardware published as silo metadata, and
    /// GPU-preferred placement.</summary>
    public static ISiloBuilder AddGridServices(this ISiloBuilder silo, CellExecutorOptions executorOptions, StorageOptions storage)
    {
        var hardware = SiloHardware.Detect(executorOptions.Validate());
        // A GPU silo whose CUDA does not work refuses to start, naming why, rather than failing every cell.
        if (executorOptions.Device.StartsWith("cuda", StringComparison.Ordinal)) TorchRuntime.ResolveDevice(executorOptions.Device);
        silo.Services.AddSingleton(Options.Create(executorOptions));
        // A stop lasts the drain, then the cells' checkpoints and state writes.
        var stop = SiloEndpoints.ShutdownTimeout + (executorOptions.DrainTimeout ?? TimeSpan.Zero);
        silo.Services.Configure<HostOptions>(o => o.ShutdownTimeout = stop);
        silo.Configure<GrainCollectionOptions>(o => o.DeactivationTimeout = o.DeactivationTimeout > stop ? o.DeactivationTimeout : stop);
        silo.Services.AddSingleton(Options.Create(storage.Validate()));
        silo.Services.AddSingleton(hardware);
        silo.Services.AddSingleton<GridMetrics>();
        silo.Services.AddSingleton<CellExecutor>();
        silo.Services.AddSingleton<IGrainStorageSerializer>(services => new GridStateSerializer(
            services.GetRequiredService<Serializer>(), GridStateSerializer.LegacyJson(services)));
        silo.UseSiloMetadata(hardware.Metadata());
        silo.AddPlacementDirector<GpuPreferredPlacement, GpuPreferredPlacementDirector>();
        return silo;
    }
}
