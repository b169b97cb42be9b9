using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;

namespace Unlearning.Grains.Tests.Observability;

/// <summary><c>Metrics__Address</c> chooses the interface the metrics and probes listen on: given
/// 127.0.0.1 they answer on this machine only, not on its other addresses.</summary>
[Collection(nameof(SiloHttpTests))]
public sealed class MetricsAddressTests
{
    [Fact]
    public async Task MetricsBoundToLoopbackAreNotServedOnOtherAddresses()
    {
        var other = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        Assert.SkipWhen(other is null, "this machine has no address besides loopback");
        var dir = Directory.CreateTempSubdirectory("metrics-address-").FullName;
        var host = await SiloHttpTests.Start("bound", new SiloHttp(0, Address: IPAddress.Loopback), dir);
        try
        {
            int port = ((SiloHttp)host.Services.GetService(typeof(SiloHttp))!).MetricsPort;
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            Assert.Equal("alive\n", await http.GetStringAsync($"http://127.0.0.1:{port}{SiloEndpoints.Live}"));
            using var elsewhere = new TcpClient();
            await Assert.ThrowsAsync<SocketException>(() => elsewhere.ConnectAsync(other!, port));
        }
        finally
        {
            await host.StopAsync(TimeSpan.FromSeconds(10));
            host.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }
}
