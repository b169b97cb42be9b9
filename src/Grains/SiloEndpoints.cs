namespace Unlearning.Grains;

/// <summary>What a silo serves over HTTP on its metrics port (<c>Metrics__Port</c>): the Prometheus
/// scrape endpoint and the probes Kubernetes calls. The probes never call Redis or a grain: liveness
/// answers while the process serves HTTP, startup once the silo has joined its cluster, readiness
/// from joining until it begins to shut down. Every endpoint answers GET and HEAD only (405 otherwise).</summary>
public static class SiloEndpoints
{
    /// <summary>The methods the endpoints answer.</summary>
    public static readonly string[] Methods = ["GET", "HEAD"];

    public const string Metrics = "/metrics";
    public const string Live = "/health/live";
    public const string Ready = "/health/ready";
    public const string Startup = "/health/startup";

    /// <summary>How long a stopping silo may take: its cells checkpoint (each grain waits up to 30 s)
    /// and write their state. A pod's terminationGracePeriodSeconds must be longer.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(60);
}

/// <summary>Section "Metrics": <c>Metrics__Port</c> (default 9464) serves <see cref="SiloEndpoints"/>;
/// 0 picks a free port, printed at start. <c>Metrics__Address</c> is the interface it (and the
/// dashboard) listens on: unset, every interface, as Prometheus scraping a pod needs.</summary>
public sealed class MetricsOptions
{
    public const int DefaultPort = 9464;
    public int Port { get; set; } = DefaultPort;
    public string? Address { get; set; }

    public MetricsOptions Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentException($"Metrics__Port must be a port number (0 for a free one), got {Port}");
        ParseAddress(Address, "Metrics__Address");
        return this;
    }

    /// <summary>An interface to listen on; null for every interface. Throws naming <paramref name="setting"/>.</summary>
    public static System.Net.IPAddress? ParseAddress(string? address, string setting) =>
        string.IsNullOrWhiteSpace(address) ? null
        : System.Net.IPAddress.TryParse(address.Trim(), out var ip) ? ip
        : throw new ArgumentException($"{setting} must be an IP address of this machine (127.0.0.1, 0.0.0.0, ::), got '{address}'");
}

/// <summary>Section "Dashboard": <c>Dashboard__Port</c> serves the Orleans dashboard on its own port
/// (absent: no dashboard; 0: a free port, printed at start).</summary>
public sealed class DashboardOptions
{
    public int? Port { get; set; }

    public DashboardOptions Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentException($"Dashboard__Port must be a port number (0 for a free one), got {Port}");
        return this;
    }
}
