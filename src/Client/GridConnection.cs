using System.Net;
using System.Net.Sockets;
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

    private GridConnection(IHost host, bool embedded)
    {
        _host = host;
        Embedded = embedded;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }
    public bool Embedded { get; }

    public static async Task<GridConnection> OpenAsync(string? cluster, CancellationToken ct)
    {
        cluster ??= Environment.GetEnvironmentVariable("UNLEARN_CLUSTER");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Orleans", LogLevel.Error);
        var settings = ClusterSettings.From(builder.Configuration);
        if (!string.IsNullOrWhiteSpace(cluster))
        {
            settings.Redis = cluster;
            builder.UseOrleansClient(client =>
            {
                client.UseRedisClustering(o => o.ConfigurationOptions = settings.RedisOptions());
                client.Configure<ClusterOptions>(o => { o.ClusterId = settings.ClusterId; o.ServiceId = settings.ServiceId; });
            });
        }
        else
        {
            // Free ports, so that several embedded grids can run side by side.
            settings.SiloPort = settings.PrimarySiloPort = FreePort();
            settings.GatewayPort = FreePort();
            settings.SiloName = "embedded";
            builder.UseOrleans(silo => silo.AddUnlearningGrid(settings, builder.Configuration));
        }
        var host = builder.Build();
        await host.StartAsync(ct);
        return new GridConnection(host, string.IsNullOrWhiteSpace(cluster));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try { await _host.StopAsync(TimeSpan.FromSeconds(10)); }
        catch (OperationCanceledException) { }
        _host.Dispose();
    }
}
