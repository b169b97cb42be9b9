using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Unlearning.Grains;

// A grid silo. Configuration from appsettings / environment (double underscore = section):
//   Cluster__Redis=redis://host:6379   (absent: localhost clustering, in-memory state)
//   Cluster__ClusterId, Cluster__ServiceId, Cluster__SiloPort, Cluster__GatewayPort, Cluster__AdvertisedIp, Cluster__SiloName
//   Cells__Slots, Cells__SlotsPerGpu, Cells__Gpus, Cells__Device
//   Metrics__Port (default 9464): Prometheus scrape endpoint http://+:PORT/metrics/ ; 0 disables it
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
var cluster = ClusterSettings.From(builder.Configuration);
builder.UseOrleans(silo => silo.AddUnlearningGrid(cluster, builder.Configuration));

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

var host = builder.Build();
await host.RunAsync();
