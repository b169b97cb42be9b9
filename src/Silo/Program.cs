using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Unlearning.Grains;

// A grid silo. Configuration from appsettings / environment (double underscore = section):
//   Cluster__Redis=redis://host:6379 or unix:/path/redis.sock   (absent: localhost clustering, in-memory state)
//   Cluster__ClusterId, Cluster__ServiceId, Cluster__SiloPort, Cluster__GatewayPort (0: a free port), Cluster__AdvertisedIp, Cluster__SiloName
//   Cluster__RedisPasswordFile (a mounted secret) or Cluster__RedisPassword: never in the address, never logged
//   Storage__Data (datasets: DIR/ml-100k/...), Storage__Artifacts (artifact store shared by every silo: results, models, checkpoints)
//   Cells__Slots, Cells__SlotsPerGpu, Cells__Gpus, Cells__Device, Cells__TimeLimit (d.hh:mm:ss), Cells__MaxAttempts (default 3)
//   Metrics__Port (default 9464): Prometheus scrape endpoint http://+:PORT/metrics/ ; 0 disables it
// Prints "silo NAME listening: silo port P, gateway port G" once it has joined.
var configuration = Host.CreateApplicationBuilder(args).Configuration;
var cluster = ClusterSettings.From(configuration);

IHost Build(ClusterSettings settings)
{
    var builder = Host.CreateApplicationBuilder(args);
    builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
    builder.UseOrleans(silo => silo.AddUnlearningGrid(settings, builder.Configuration));
    int metricsPort = builder.Configuration.GetValue("Metrics:Port", 9464);
    if (metricsPort > 0)
    {
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("Microsoft.Orleans", GridMetrics.MeterName)
            .AddPrometheusHttpListener(o =>
            {
                o.Port = metricsPort;
                // The exporter binds localhost by default; containers need every interface.
                o.ConfigureHttpListener = (_, listener) =>
                {
                    listener.Prefixes.Clear();
                    listener.Prefixes.Add($"http://+:{metricsPort}/metrics/");
                };
            }));
    }
    return builder.Build();
}

IHost host;
ClusterSettings chosen;
StorageOptions storage;
try
{
    storage = (configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions()).Validate();
    (host, chosen) = await SiloStarter.StartAsync(cluster, Build, CancellationToken.None);
}
catch (Exception e) when (e is ArgumentException or FileNotFoundException or InvalidOperationException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
catch (Exception e) when (cluster.UsesRedis)
{
    // Orleans reports an unreachable Redis as its own connection exception; the cause is what matters.
    Console.Error.WriteLine($"error: cannot join the cluster at {cluster}: {e.GetBaseException().Message}");
    return 2;
}
Console.WriteLine($"silo {chosen.SiloName ?? Environment.MachineName} storage: data {storage.Data}, artifacts {storage.Artifacts}");
Console.WriteLine($"silo {chosen.SiloName ?? Environment.MachineName} listening: silo port {chosen.SiloPort}, gateway port {chosen.GatewayPort}");
await host.WaitForShutdownAsync();
host.Dispose();
return 0;
