namespace Unlearning.Grains;

/// <summary>What a silo serves over HTTP on its metrics port (<c>Metrics__Port</c>): the Prometheus
/// scrape endpoint and the probes Kubernetes calls. The probes never call Redis or a grain: liveness
/// answers while the process serves HTTP, startup once the silo has joined its cluster, readiness
/// from joining until it begins to shut down.</summary>
public static class SiloEndpoints
{
    public const string Metrics = "/metrics";
    public const string Live = "/health/live";
    public const string Ready = "/health/ready";
    public const string Startup = "/health/startup";

    /// <summary>How long a stopping silo may take: its cells checkpoint (each grain waits up to 30 s)
    /// and write their state. A pod's terminationGracePeriodSeconds must be longer.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(60);
}

/// <summary>Section "Metrics": <c>Metrics__Port</c> (default 9464) serves <see cref="SiloEndpoints"/>;
/// 0 picks a free port, printed at start.</summary>
public sealed class MetricsOptions
{
    public const int DefaultPort = 9464;
    public int Port { get; set; } = DefaultPort;

    public MetricsOptions Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentException($"Metrics__Port must be a port number (0 for a free one), got {Port}");
        return this;
    }
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
