using Microsoft.Extensions.Configuration;

namespace Unlearning.Grains;

/// <summary>Section "Metrics": <c>Metrics__Port</c> (default 9464) serves <see cref="SiloEndpoints"/>;
/// 0 picks a free port, printed at start. <c>Metrics__Address</c> is the interface it (and the
/// dashboard) listens on: unset, every interface, as Prometheus scraping a pod needs.
/// <c>Metrics__CellSeries</c> (default 100) is how many cells a silo exports series of its own for
/// (running cells first, then queued ones); every other cell is only counted in the aggregates.</summary>
public sealed class MetricsOptions
{
    public const int DefaultPort = 9464;
    public const int DefaultCellSeries = 100;
    public int Port { get; set; } = DefaultPort;
    public string? Address { get; set; }
    public int CellSeries { get; set; } = DefaultCellSeries;

    public MetricsOptions Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentException($"Metrics__Port must be a port number (0 for a free one), got {Port}");
        if (CellSeries < 0) throw new ArgumentException($"Metrics__CellSeries must be 0 or more (the running or queued cells a silo exports series of their own for; 0: none), got {CellSeries}");
        ParseAddress(Address, "Metrics__Address");
        return this;
    }

    /// <summary>The "Metrics" section of <paramref name="configuration"/>, validated; the defaults without one.</summary>
    public static MetricsOptions From(IConfiguration? configuration) =>
        (configuration?.GetSection("Metrics").Get<MetricsOptions>() ?? new MetricsOptions()).Validate();

    /// <summary>An interface to listen on; null for every interface. Throws naming <paramref name="setting"/>.</summary>
    public static System.Net.IPAddress? ParseAddress(string? address, string setting) =>
        string.IsNullOrWhiteSpace(address) ? null
        : System.Net.IPAddress.TryParse(address.Trim(), out var ip) ? ip
        : throw new ArgumentException($"{setting} must be an IP address of this machine (127.0.0.1, 0.0.0.0, ::), got '{address}'");
}
