using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Runtime;
using StackExchange.Redis;
using Unlearning.Grains;

namespace Unlearning.Client;

/// <summary>
/// The client's way into a grid: with a cluster configured (--cluster redis://host:port or
/// UNLEARN_CLUSTER) it connects as a client only; otherwise it starts a silo in this process
/// (localhost clustering, in-memory state, results on disk) and uses that silo's client.
/// </summary>
public sealed class GridConnection : IAsyncDisposable
{
    /// <summary>Seconds a client waits for a silo of the cluster to register its gateway (default 120).</summary>
    public const string SiloWaitVariable = "UNLEARN_SILO_WAIT";

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

    /// <summary>How long a client waits for the cluster's first silo: <see cref="SiloWaitVariable"/>, else 120 s.</summary>
    public static TimeSpan SiloWait()
    {
        var text = Environment.GetEnvironmentVariable(SiloWaitVariable);
        if (string.IsNullOrWhiteSpace(text)) return TimeSpan.FromSeconds(120);
        return int.TryParse(text, out var seconds) && seconds is >= 1 and <= 86400
            ? TimeSpan.FromSeconds(seconds)
            : throw new ArgumentException($"{SiloWaitVariable} must be a number of seconds from 1 to 86400, got '{text}'");
    }

    /// <summary>The interface an embedded silo's metrics listen on: a laptop's grid serves this machine
    /// only (127.0.0.1) unless <c>Metrics__Address</c> says otherwise; throws naming a bad value.</summary>
    public static System.Net.IPAddress? EmbeddedMetricsAddress() =>
        MetricsOptions.ParseAddress(Host.CreateApplicationBuilder().Configuration["Metrics:Address"] ?? "127.0.0.1", "Metrics__Address");

    /// <param name="embeddedStorage">The embedded silo's data folder and artifact store (the client's --data and --out).</param>
    /// <param name="metricsPort">The embedded silo's metrics port (--metrics-port; 0: a free one); null: no HTTP.</param>
    /// <param name="say">Where the connection says what it waits for (standard error).</param>
    public static async Task<GridConnection> OpenAsync(string? cluster, StorageOptions embeddedStorage, CancellationToken ct, int? metricsPort = null, Action<string>? say = null)
    {
        say ??= Console.Error.WriteLine;
        cluster = ClusterAddress(cluster);
        if (cluster is not null) return await ConnectAsync(cluster, say, ct);
        // Free ports, so that several embedded grids can run side by side.
        var configuration = Host.CreateApplicationBuilder().Configuration;
        var embedded = ClusterSettings.From(configuration);
        embedded.SiloPort = embedded.GatewayPort = 0;
        embedded.PrimarySiloPort = null;
        embedded.SiloName = "embedded";
        var http = metricsPort is { } port ? new SiloHttp(port, Address: EmbeddedMetricsAddress()) : null;
        var (silo, _) = await SiloStarter.StartAsync(embedded, settings => GridHost.Build(settings, http?.WithFreePorts(), builder =>
        {
            ForCommand(builder);
            builder.Configuration["Storage:Data"] = embeddedStorage.Data;
            builder.Configuration["Storage:Artifacts"] = embeddedStorage.Artifacts;
        }), ct, http?.HasAutomaticPorts ?? false);
        return new GridConnection(silo, embedded: true, silo.Services.GetService<SiloHttp>()?.MetricsPort);
    }

    /// <summary>Connects to a Redis-clustered grid: Redis first (an unreachable one is named at once),
    /// then the silos' gateways, saying what it waits for and giving up after <see cref="SiloWait"/>.</summary>
    private static async Task<GridConnection> ConnectAsync(string cluster, Action<string> say, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder();
        ForCommand(builder);
        var settings = ClusterSettings.From(builder.Configuration);
        settings.Redis = cluster;
        var wait = SiloWait();
        ConfigurationOptions redis;
        try
        {
            redis = settings.RedisOptions();
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException)
        {
            throw new GridConnectionException($"cannot connect to the cluster at {cluster}: {e.Message}", e);
        }
        await RequireRedis(cluster, settings, redis, ct);

        var clock = Stopwatch.StartNew();
        bool said = false;
        builder.UseOrleansClient(client =>
        {
            client.UseRedisClustering(o => o.ConfigurationOptions = redis);
            client.Configure<ClusterOptions>(o => { o.ClusterId = settings.ClusterId; o.ServiceId = settings.ServiceId; });
            client.UseConnectionRetryFilter(async (e, token) =>
            {
                if (e is not SiloUnavailableException || clock.Elapsed >= wait) return false;
                if (!said)
                {
                    say($"waiting for a silo: Redis at {cluster} answers, but no silo of cluster '{settings.ClusterId}' (service '{settings.ServiceId}') " +
                        $"has registered its gateway there yet; start silos with Cluster__Redis={cluster} (giving up after {wait.TotalSeconds:F0} s)");
                    said = true;
                }
                await Task.Delay(TimeSpan.FromSeconds(2), token);
                return true;
            });
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Dispose();
            throw new GridConnectionException(e is SiloUnavailableException
                ? $"cannot connect to the cluster at {cluster}: no silo of cluster '{settings.ClusterId}' (service '{settings.ServiceId}') joined within {wait.TotalSeconds:F0} s " +
                  $"(Redis answers; start silos with Cluster__Redis={cluster}, or wait longer with {SiloWaitVariable}=SECONDS)"
                : $"cannot connect to the cluster at {cluster}: {ConnectionFailure.Reason(e)}", e);
        }
        return new GridConnection(host, embedded: false);
    }

    /// <summary>Fails at once, naming the cause, where Redis does not answer.</summary>
    private static async Task RequireRedis(string cluster, ClusterSettings settings, ConfigurationOptions redis, CancellationToken ct)
    {
        try
        {
            await settings.ProbeRedisAsync(ct, redis);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new GridConnectionException($"cannot connect to the cluster at {cluster}: Redis does not answer there ({ConnectionFailure.Reason(e)})", e);
        }
    }

    /// <summary>Ctrl-C and SIGTERM belong to the command (<see cref="Interrupt"/>: detach, exit 130), so
    /// the host gets no console lifetime of its own that would stop it underneath the command.</summary>
    private static void ForCommand(IHostApplicationBuilder builder)
    {
        CommandLogging.Configure(builder);
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
    }

    private sealed class CommandLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        // An embedded silo goes with its in-memory grid: its grains' complaints about that are no news.
        if (Embedded) CommandLogging.TearingDown();
        try { await _host.StopAsync(TimeSpan.FromSeconds(10)); }
        catch (OperationCanceledException) { }
        _host.Dispose();
    }
}
