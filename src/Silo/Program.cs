using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Unlearning.Grains;

// A grid silo. Configuration from appsettings / environment (double underscore = section):
//   Cluster__Redis=redis://host:6379 or unix:/path/redis.sock   (absent: localhost clustering, in-memory state)
//   Cluster__ClusterId, Cluster__ServiceId, Cluster__SiloPort, Cluster__GatewayPort (0: a free port), Cluster__AdvertisedIp, Cluster__SiloName
//   Cluster__PrimarySiloPort (without Redis: the port of a silo on this machine to join; unset: this silo starts alone)
//   Cluster__RedisPasswordFile (a mounted secret) or Cluster__RedisPassword: never in the address, never logged
//   Storage__Data (datasets: DIR/ml-100k/...), Storage__Artifacts (artifact store shared by every silo: results, models, checkpoints)
//   Cells__Slots, Cells__SlotsPerGpu (unset: from Cells__CellGpuPeakGiB and the GPU's memory, else 1), Cells__CellGpuPeakGiB, Cells__Gpus, Cells__Device, Cells__TimeLimit (d.hh:mm:ss), Cells__MaxAttempts (default 3)
//   Cells__Cores (unset: the container's CPU share from its cgroup, limit else request, else the machine's cores), Cells__GpuMemoryGiB (a time-sliced GPU's or MIG slice's memory, where NVML cannot tell it)
//   Cells__Engine=simulated, Cells__SimulatedSeconds, Cells__SimulatedJitter: for control-plane benchmarks only (computes nothing; every result says "simulated")
//   Metrics__Port (default 9464; 0: a free port): http://ADDRESS:PORT/metrics and the probes /health/live, /health/startup, /health/ready (GET and HEAD only)
//   Metrics__CellSeries (default 100): the most cells exported one by one (running first, then queued); the rest only in per-run aggregates
//   Metrics__Address (default: every interface, as Prometheus in a pod needs; 127.0.0.1: this machine only), also the dashboard's
//   Cells__DrainTimeout (d.hh:mm:ss; unset: none): how long a stopping silo lets its running cells go on before they checkpoint (a scale-down's drain)
//   Pod__DeletionCost=true, Pod__Name, Pod__Namespace: keep this pod's controller.kubernetes.io/pod-deletion-cost at its cells' worth (scale-down removes idle silos first)
//   Dashboard__Port (absent: no dashboard; 0: a free port): the Orleans dashboard
// Prints "silo NAME listening: silo port P, gateway port G" once it has joined, after a line naming its HTTP ports;
// its log goes to standard error.
var configuration = Host.CreateApplicationBuilder(args).Configuration;
var cluster = ClusterSettings.From(configuration);

IHost host;
ClusterSettings chosen;
StorageOptions storage;
try
{
    storage = (configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions()).Validate();
    cluster.RequirePrimaryListening();
    var http = SiloHttp.From(configuration);
    (host, chosen) = await SiloStarter.StartAsync(cluster, settings => GridHost.Build(settings, http.WithFreePorts(),
        builder => builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error), args), CancellationToken.None, http.HasAutomaticPorts,
        // An unreachable Redis is named in one line before Orleans starts (and retries, with stack traces).
        beforeStart: cluster.UsesRedis ? () => cluster.ProbeRedisAsync(CancellationToken.None) : null);
}
catch (Exception e) when (e is ArgumentException or FileNotFoundException or InvalidOperationException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
catch (Exception e) when (cluster.UsesRedis)
{
    // Orleans reports an unreachable Redis as its own connection exception; the cause is what matters.
    Console.Error.WriteLine($"error: cannot join the cluster at {cluster}: {ConnectionFailure.Reason(e)}");
    return 2;
}
var name = chosen.SiloName ?? Environment.MachineName;
var ports = host.Services.GetRequiredService<SiloHttp>();
Console.WriteLine($"silo {name} storage: data {storage.Data}, artifacts {storage.Artifacts}");
Console.WriteLine($"silo {name} http: metrics and probes on port {ports.MetricsPort}{(ports.DashboardPort is { } d ? $", dashboard on port {d}" : "")}");
Console.WriteLine($"silo {name} listening: silo port {chosen.SiloPort}, gateway port {chosen.GatewayPort}");
await host.WaitForShutdownAsync();
host.Dispose();
return 0;
