using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace Unlearning.Grains;

/// <summary>How a silo joins a cluster: localhost (embedded default, in-memory state) or Redis
/// (clustering, grain state and reminders in Redis). Read from configuration / environment:
/// <c>Cluster__Redis</c>, <c>Cluster__ClusterId</c>, <c>Cluster__ServiceId</c>, <c>Cluster__SiloPort</c>,
/// <c>Cluster__GatewayPort</c>, <c>Cluster__AdvertisedIp</c>, <c>Cluster__PrimarySiloPort</c>. A port of 0
/// is picked free when the silo starts (<see cref="SiloStarter"/>). Without Redis a silo starts alone
/// (it is its own primary) unless <c>Cluster__PrimarySiloPort</c> names another silo on this machine. The Redis password comes only from
/// <c>Cluster__RedisPasswordFile</c> (a mounted secret) or <c>Cluster__RedisPassword</c>, never from the
/// address, and is never written to a log.</summary>
public sealed class ClusterSettings
{
    public string? Redis { get; set; }
    public string ClusterId { get; set; } = "unlearning";
    public string ServiceId { get; set; } = "unlearning-grid";
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;
    /// <summary>Localhost clustering only: the port of the silo this one joins; unset: this silo's own
    /// port, so that a silo without a cluster starts alone on whatever ports it is given.</summary>
    public int? PrimarySiloPort { get; set; }
    public string? AdvertisedIp { get; set; }
    public string? SiloName { get; set; }
    public string? RedisPassword { get; set; }
    public string? RedisPasswordFile { get; set; }

    public bool UsesRedis => !string.IsNullOrWhiteSpace(Redis);

    /// <summary>Some port is 0: <see cref="SiloStarter"/> picks it.</summary>
    public bool HasAutomaticPorts => SiloPort == 0 || GatewayPort == 0;

    /// <summary>A copy with every port given as 0 replaced by a free one; an unset primary silo port
    /// (localhost clustering) is this silo's own port.</summary>
    public ClusterSettings WithFreePorts()
    {
        var copy = (ClusterSettings)MemberwiseClone();
        if (copy.SiloPort == 0) copy.SiloPort = SiloStarter.FreePort();
        if (copy.GatewayPort == 0) copy.GatewayPort = SiloStarter.FreePort();
        if (copy.PrimarySiloPort is null or 0) copy.PrimarySiloPort = copy.SiloPort;
        return copy;
    }

    /// <summary>Localhost clustering that joins another silo: that silo must already listen, or this
    /// one would wait minutes for it before failing. Throws naming the setting.</summary>
    public void RequirePrimaryListening()
    {
        if (UsesRedis || PrimarySiloPort is not { } primary || primary == 0 || primary == SiloPort) return;
        using var probe = new TcpClient();
        try
        {
            if (probe.ConnectAsync(IPAddress.Loopback, primary).Wait(TimeSpan.FromSeconds(2))) return;
        }
        catch (AggregateException) { }
        throw new ArgumentException($"Cluster__PrimarySiloPort={primary}: no silo listens on 127.0.0.1:{primary}. Start that silo first, " +
                                    "leave Cluster__PrimarySiloPort unset to start this silo alone, or give Cluster__Redis to join a cluster");
    }

    public static ClusterSettings From(IConfiguration configuration) =>
        configuration.GetSection("Cluster").Get<ClusterSettings>() ?? new ClusterSettings();

    /// <summary>Accepts "redis://host:port", "unix:/path/to/redis.sock" (a Unix domain socket) or a
    /// StackExchange.Redis configuration string.</summary>
    public ConfigurationOptions RedisOptions()
    {
        ConfigurationOptions options;
        if (Redis!.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            options = new ConfigurationOptions();
            options.EndPoints.Add(new UnixDomainSocketEndPoint(Redis["unix:".Length..]));
        }
        else
        {
            var text = Redis.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) ? Redis["redis://".Length..] : Redis;
            if (text.Contains('@') || text.Contains("password=", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException("the Redis address must not carry a password: give it in Cluster__RedisPasswordFile or Cluster__RedisPassword");
            options = ConfigurationOptions.Parse(text);
        }
        if (Password() is { } password) options.Password = password;
        return options;
    }

    /// <summary>Connects to Redis once, with a short timeout, so that an unreachable Redis (or a missing
    /// password file) is named at once instead of after Orleans' retries and their stack traces.
    /// Throws the client library's exception; <see cref="ConnectionFailure.Reason"/> words it.</summary>
    /// <param name="options">The <see cref="RedisOptions"/> already read (the password file is read once); null: read them.</param>
    public async Task ProbeRedisAsync(CancellationToken ct, ConfigurationOptions? options = null)
    {
        var probe = (options ?? RedisOptions()).Clone();
        probe.AbortOnConnectFail = true;
        probe.ConnectRetry = 1;
        probe.ConnectTimeout = 5000;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(probe).WaitAsync(ct);
        await connection.GetDatabase().PingAsync().WaitAsync(ct);
    }

    /// <summary>Redis address without secrets, for messages.</summary>
    public override string ToString() => Redis ?? "localhost clustering";

    private string? Password()
    {
        if (!string.IsNullOrEmpty(RedisPasswordFile))
        {
            if (!File.Exists(RedisPasswordFile)) throw new FileNotFoundException($"Cluster__RedisPasswordFile {RedisPasswordFile} does not exist", RedisPasswordFile);
            return File.ReadAllText(RedisPasswordFile).TrimEnd('\r', '\n');
        }
        return string.IsNullOrEmpty(RedisPassword) ? null : RedisPassword;
    }
}
