using System.Net;
using Microsoft.Extensions.Configuration;

namespace Unlearning.Grains;

/// <summary>The HTTP ports of a silo: metrics and probes (<c>Metrics__Port</c>) and, where asked for,
/// the Orleans dashboard (<c>Dashboard__Port</c>), on <see cref="Address"/> (<c>Metrics__Address</c>;
/// null: every interface). A port of 0 is picked free when the silo starts.</summary>
public sealed record SiloHttp(int MetricsPort, int? DashboardPort = null, IPAddress? Address = null)
{
    public static SiloHttp From(IConfiguration configuration)
    {
        var metrics = MetricsOptions.From(configuration);
        return new SiloHttp(metrics.Port, (configuration.GetSection("Dashboard").Get<DashboardOptions>() ?? new DashboardOptions()).Validate().Port,
            MetricsOptions.ParseAddress(metrics.Address, "Metrics__Address"));
    }

    public bool HasAutomaticPorts => MetricsPort == 0 || DashboardPort == 0;

    public SiloHttp WithFreePorts() => this with
    {
        MetricsPort = MetricsPort == 0 ? SiloStarter.FreePort() : MetricsPort, DashboardPort = DashboardPort == 0 ? SiloStarter.FreePort() : DashboardPort,
    };
}
