using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;

namespace Unlearning.Grains;

/// <summary>
/// Starts a silo host on the ports its settings name, or on free ones where they say 0. Orleans must
/// know a silo's ports before it binds them (the address is the silo's identity in the membership
/// table), so the operating system cannot assign them at bind time: a port given as 0 is picked free
/// here, and if another process takes it before the silo binds it, the silo is built again on other
/// free ports. The ports it ended up with are in the returned settings.
/// </summary>
public static class SiloStarter
{
    public const int Attempts = 5;

    /// <param name="otherAutomaticPorts">Ports <paramref name="build"/> picks free itself (HTTP): a conflict on them is retried too.</param>
    /// <param name="beforeStart">Runs once the host is built (its own settings checked) and before it
    /// starts: a check of what lies outside it, such as the cluster's Redis.</param>
    public static async Task<(IHost Host, ClusterSettings Settings)> StartAsync(ClusterSettings settings, Func<ClusterSettings, IHost> build, CancellationToken ct, bool otherAutomaticPorts = false,
        Func<Task>? beforeStart = null)
    {
        for (int attempt = 1; ; attempt++)
        {
            var chosen = settings.WithFreePorts();
            var host = build(chosen);
            try
            {
                if (beforeStart is not null && attempt == 1) await beforeStart();
                await host.StartAsync(ct);
                return (host, chosen);
            }
            catch (Exception e) when (attempt < Attempts && (settings.HasAutomaticPorts || otherAutomaticPorts) && IsAddressInUse(e))
            {
                host.Dispose();
            }
            catch
            {
                // Disposing flushes the host's log, so that the caller's own line about the failure comes after it.
                host.Dispose();
                throw;
            }
        }
    }

    /// <summary>A port nothing listens on now (the caller binds it later, so it may be taken meanwhile).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsAddressInUse(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }) return true;
            if (x is AggregateException aggregate && aggregate.InnerExceptions.Any(IsAddressInUse)) return true;
        }
        return false;
    }
}
