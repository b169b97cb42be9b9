using System.Net;
using System.Net.Sockets;

namespace Unlearning.Grains.Tests;

/// <summary>A silo without a cluster starts alone on whatever ports it is given; one told to join a
/// silo that is not there refuses at once, naming the setting, instead of waiting minutes for it.</summary>
public sealed class ClusterSettingsTests
{
    [Fact]
    public void WithoutAPrimaryASiloIsItsOwn()
    {
        var alone = new ClusterSettings { SiloPort = 0, GatewayPort = 0 }.WithFreePorts();
        Assert.Equal(alone.SiloPort, alone.PrimarySiloPort);
        Assert.NotEqual(0, alone.SiloPort);
        Assert.Equal(11111, new ClusterSettings().WithFreePorts().PrimarySiloPort);
        Assert.Equal(12000, new ClusterSettings { SiloPort = 0, PrimarySiloPort = 12000 }.WithFreePorts().PrimarySiloPort);
        new ClusterSettings { SiloPort = 0, GatewayPort = 0 }.RequirePrimaryListening();
    }

    [Fact]
    public void APrimaryThatIsNotThereIsNamedAtOnce()
    {
        int closed = SiloStarter.FreePort();
        var e = Assert.Throws<ArgumentException>(() => new ClusterSettings { SiloPort = 0, PrimarySiloPort = closed }.RequirePrimaryListening());
        Assert.StartsWith($"Cluster__PrimarySiloPort={closed}: no silo listens on 127.0.0.1:{closed}", e.Message);

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        new ClusterSettings { SiloPort = 0, PrimarySiloPort = ((IPEndPoint)listener.LocalEndpoint).Port }.RequirePrimaryListening();
        // With Redis the membership table decides, not a primary silo.
        new ClusterSettings { Redis = "redis://127.0.0.1:1", PrimarySiloPort = closed }.RequirePrimaryListening();
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("10.0.0.300")]
    public void AMetricsAddressMustBeAnAddress(string address) =>
        Assert.Equal($"Metrics__Address must be an IP address of this machine (127.0.0.1, 0.0.0.0, ::), got '{address}'",
            Assert.Throws<ArgumentException>(() => new MetricsOptions { Address = address }.Validate()).Message);
}
