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

    /// <summary>How long a stopping silo may take after its drain (<see cref="CellExecutorOptions.DrainTimeout"/>,
    /// none by default): its cells checkpoint (each grain waits up to 30 s) and write their state. A pod's
    /// terminationGracePeriodSeconds must be longer than both together.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(60);
}
