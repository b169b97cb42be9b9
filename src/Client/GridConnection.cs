using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Unlearning.Grains;

namespace Unlearning.Client;

/// <summary>
/// The client's way into a grid: with a cluster configured (--cluster redis://host:port or
/// UNLEARN_CLUSTER) it connects as a client only; otherwise it starts a silo in this process
/// (localhost clustering, in-memory state, results on disk) and uses that silo's client.
/// </summary>
public sealed class GridConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private GridConnection(IHost host, bool embedded, int? metricsPort = null)
    {
        _host = host;
        Embedded = embedded;
        MetricsPort = metricsPort;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }
    public bool Embedded { get; }

    /// <summary>The embedded silo's metrics port, where it serves one.</summary>
    public int? MetricsPort { get; }

    /// <summary>The cluster address given or in UNLEARN_CLUSTER; null: none (an embedded silo).</summary>
    public static string? ClusterAddress(string? cluster)
    {
        cluster ??= Environment.GetEnvironmentVariable("UNLEARN_CLUSTER");
        return string.IsNullOrWhiteSpace(cluster) ? null : cluster;
    }

    /// <param name="embeddedStorage">The embedded silo's data folder and artifact store (the client's --data and --out).</param>
    /// <param name="metricsPort">The embedded silo's metrics port (--metrics-port; 0: a free one); null: no HTTP.</param>
    public static async Task<GridConnection> OpenAsync(string? cluster, StorageOptions embeddedStorage, CancellationToken ct, int? metricsPort = null)
    {
        cluster = ClusterAddress(cluster);
        if (cluster is not null)
        {
            var builder = Host.CreateApplicationBuilder();
            ForCommand(builder);
            var settings = ClusterSettings.From(builder.Configuration);
            settings.Redis = cluster;
            builder.UseOrleansClient(client =>
            {
                client.UseRedisClustering(o => o.ConfigurationOptions = settings.RedisOptions());
                client.Configure<ClusterOptions>(o => { o.ClusterId = settings.ClusterId; o.ServiceId = settings.ServiceId; });
            });
            var host = builder.Build();
            try
            {
                await host.StartAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                host.Dispose();
                throw new GridConnectionException($"cannot connect to the cluster at {cluster}: {e.Message}", e);
            }
            return new GridConnection(host, embedded: false);
        }
        // Free ports, so that several embedded grids can run side by side.
        var embedded = ClusterSettings.From(Host.CreateApplicationBuilder().Configuration);
        embedded.SiloPort = embedded.PrimarySiloPort = embedded.GatewayPort = 0;
        embedded.SiloName = "embedded";
        var http = metricsPort is { } port ? new SiloHttp(port) : null;
        var (silo, _) = await SiloStarter.StartAsync(embedded, settings => GridHost.Build(settings, http?.WithFreePorts(), builder =>
        {
            ForCommand(builder);
            builder.Configuration["Storage:Data"] = embeddedStorage.Data;
            builder.Configuration["Storage:Artifacts"] = embeddedStorage.Artifacts;
        }), ct, http?.HasAutomaticPorts ?? false);
        return new GridConnection(silo, embedded: true, silo.Services.GetService<SiloHttp>()?.MetricsPort);
    }

    /// <summary>Ctrl-C and SIGTERM belong to the command (<see cref="Interrupt"/>: detach, exit 130), so
    /// the host gets no console lifetime of its own that would stop it underneath the command.</summary>
    private static void ForCommand(IHostApplicationBuilder builder)
    {
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Orleans", LogLevel.Error);
        // A host that fails to start is reported by the command, in one line.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
    }

    private sealed class CommandLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        try { await _host.StopAsync(TimeSpan.FromSeconds(10)); }
        catch (OperationCanceledException) { }
        _host.Dispose();
    }
}

/// <summary>The cluster named by --cluster / UNLEARN_CLUSTER could not be reached.</summary>
public sealed class GridConnectionException(string message, Exception inner) : Exception(message, inner);
