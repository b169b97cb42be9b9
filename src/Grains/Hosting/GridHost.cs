using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Orleans.Dashboard;

namespace Unlearning.Grains;

/// <summary>
/// Builds a grid silo host, for the standalone silo and the client's embedded one: Orleans with the
/// grid, and, given <see cref="SiloHttp"/> ports, ASP.NET Core serving the Prometheus endpoint
/// (Orleans' meter, .NET runtime and process metrics, <see cref="GridMetrics"/>), the probes of
/// <see cref="SiloEndpoints"/> and optionally the Orleans dashboard. Without ports (an embedded silo
/// not asked for metrics) it is a plain host with no HTTP at all.
/// </summary>
public static class GridHost
{
    /// <summary>Orleans' own meter (the runtime's instruments: messaging, activations, membership, ...).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    public static IHost Build(ClusterSettings cluster, SiloHttp? http, Action<IHostApplicationBuilder>? configure = null, string[]? args = null)
    {
        if (http is null)
        {
            var plain = Host.CreateApplicationBuilder(args ?? []);
            AddSilo(plain, cluster, dashboard: false, configure);
            return plain.Build();
        }

        var web = WebApplication.CreateSlimBuilder(args ?? []);
        AddSilo(web, cluster, dashboard: http.DashboardPort is not null, configure);
        web.Services.AddSingleton(http);
        web.Services.AddSingleton<SiloHealth>();
        web.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("unlearning-silo", serviceInstanceId: cluster.SiloName ?? Environment.MachineName))
            .WithMetrics(metrics => metrics
                .AddMeter(OrleansMeter, GridMetrics.MeterName)
                .AddRuntimeInstrumentation()
                .AddProcessInstrumentation()
                // Created with the meter provider, at start: an idle silo exports its slots and zero counts.
                .AddInstrumentation(sp => sp.GetRequiredService<GridMetrics>())
                // Every scrape collects afresh: Prometheus asks every 15 s, so the exporter's response cache
                // would only ever serve several scrapers at once (and hid the cost of a scrape from the benchmark).
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        web.WebHost.ConfigureKestrel(kestrel =>
        {
            void Listen(int port)
            {
                if (http.Address is { } address) kestrel.Listen(address, port);
                else kestrel.ListenAnyIP(port);
            }
            Listen(http.MetricsPort);
            if (http.DashboardPort is { } port) Listen(port);
        });

        var app = web.Build();
        var metricsHost = $"*:{http.MetricsPort}";
        // The scrape endpoint maps every method by default: a POST or DELETE is no scrape (405).
        app.MapPrometheusScrapingEndpoint(SiloEndpoints.Metrics).RequireHost(metricsHost).WithMetadata(new HttpMethodMetadata(SiloEndpoints.Methods));
        var health = app.Services.GetRequiredService<SiloHealth>();
        app.MapMethods(SiloEndpoints.Live, SiloEndpoints.Methods, () => Results.Text("alive\n")).RequireHost(metricsHost);
        app.MapMethods(SiloEndpoints.Startup, SiloEndpoints.Methods, () => health.Started ? Results.Text("started\n") : Results.Text("joining the cluster\n", statusCode: 503)).RequireHost(metricsHost);
        app.MapMethods(SiloEndpoints.Ready, SiloEndpoints.Methods, () => health is { Started: true, Stopping: false }
            ? Results.Text("ready\n")
            : Results.Text(health.Stopping ? "stopping\n" : "joining the cluster\n", statusCode: 503)).RequireHost(metricsHost);
        if (http.DashboardPort is { } dashboardPort) app.MapOrleansDashboard().RequireHost($"*:{dashboardPort}");
        return app;
    }

    private static void AddSilo(IHostApplicationBuilder builder, ClusterSettings cluster, bool dashboard, Action<IHostApplicationBuilder>? configure)
    {
        // Logs go to standard error; standard output is the program's own lines.
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        configure?.Invoke(builder);
        builder.UseOrleans(silo =>
        {
            silo.AddUnlearningGrid(cluster, builder.Configuration);
            if (dashboard) silo.AddDashboard();
        });
    }
}
