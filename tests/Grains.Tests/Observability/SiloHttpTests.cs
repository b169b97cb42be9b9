using Unlearning.Tests.Shared;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Unlearning.Grains.Tests.Observability;

/// <summary>A silo host as the silo program and the client's embedded silo build it, in this process:
/// what it serves over HTTP before any cell has run. Alone: its meter provider listens to every meter
/// named "Unlearning.Grid" in the process, and the in-process clusters of other tests have silos too
/// (a silo process has one).</summary>
[Collection(nameof(SiloHttpTests))]
public sealed class SiloHttpTests : IAsyncLifetime
{
    private readonly TempFolder _temp = new("silo-http-");
    private string _dir => _temp.Path;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private IHost _host = null!;
    private SiloHttp _ports = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await Start("observed", new SiloHttp(0, 0), _dir, slots: 3);
        _ports = _host.Services.GetRequiredService<SiloHttp>();
    }

    /// <summary>A silo host alone (localhost clustering, free ports) with <paramref name="http"/>'s endpoints.</summary>
    internal static async Task<IHost> Start(string name, SiloHttp http, string dir, int slots = 1, IReadOnlyDictionary<string, string>? configuration = null)
    {
        var cluster = new ClusterSettings { SiloPort = 0, GatewayPort = 0, SiloName = name, ClusterId = $"http-{Guid.NewGuid():N}" };
        var (host, _) = await SiloStarter.StartAsync(cluster, settings => GridHost.Build(settings, http.WithFreePorts(), builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration["Cells:Slots"] = slots.ToString(System.Globalization.CultureInfo.InvariantCulture);
            builder.Configuration["Cells:Gpus"] = "0";
            builder.Configuration["Storage:Data"] = dir;
            builder.Configuration["Storage:Artifacts"] = dir;
            foreach (var setting in configuration ?? new Dictionary<string, string>()) builder.Configuration[setting.Key] = setting.Value;
        }), CancellationToken.None, otherAutomaticPorts: true);
        return host;
    }

    private Task<string> Get(int port, string path) => _http.GetStringAsync($"http://127.0.0.1:{port}{path}");

    /// <summary>The executor is created on a grid's first cell; the metrics exist from the start, so
    /// a fresh cluster shows its slots in Grafana before anything ran.</summary>
    [Fact]
    public async Task AnIdleSiloExportsItsSlotsAndZeroCounts()
    {
        var scrape = await Get(_ports.MetricsPort, SiloEndpoints.Metrics);
        Assert.Equal(3, PrometheusText.Value(scrape, "unlearning_device_slots", "state=\"free\""));
        Assert.Equal(0, PrometheusText.Value(scrape, "unlearning_device_slots", "state=\"busy\""));
        Assert.Equal(0, PrometheusText.Value(scrape, "unlearning_cells_waiting"));
        Assert.Equal(0, PrometheusText.Value(scrape, "unlearning_gpus"));
        Assert.True(PrometheusText.Value(scrape, "unlearning_device_memory_usage_bytes", "device=\"cpu\"") > 0);
        var names = PrometheusText.Names(scrape);
        // Orleans' meter, the .NET runtime's and the process's.
        Assert.Contains("orleans_catalog_activations", names);
        Assert.Contains("dotnet_gc_collections_total", names);
        Assert.Contains("process_cpu_time_seconds_total", names);
        Assert.Contains("service_instance_id=\"observed\"", scrape);
    }

    [Fact]
    public async Task PromtoolAcceptsTheGridsSeries()
    {
        Assert.SkipWhen(Promtool.Path is null, "promtool is not installed (scripts/setup.sh installs Debian's prometheus package)");
        var scrape = await Get(_ports.MetricsPort, SiloEndpoints.Metrics);
        var ours = PrometheusText.Only(scrape, "unlearning_");
        Assert.Contains("unlearning_device_slots", ours);
        Promtool.CheckMetrics(ours);
    }

    /// <summary>Issue 23: what the silo's own Prometheus endpoint serves (Orleans', the runtime's and
    /// the grid's series) for a grid of 10,000 cells that this silo hosts and computed, within budget.</summary>
    [Fact]
    public async Task ATenThousandCellGridScrapesWithinTheSeriesBudget()
    {
        var metrics = _host.Services.GetRequiredService<GridMetrics>();
        var status = MetricCardinalityTests.TenThousandCells("silo-http-10k");
        MetricCardinalityTests.RecordExecutor(metrics, status);
        metrics.Publish(status);
        var scrape = await Get(_ports.MetricsPort, SiloEndpoints.Metrics);
        metrics.Forget(status.RunId);
        var samples = PrometheusText.Samples(scrape).ToList();
        string largest = string.Join(", ", samples.GroupBy(s => s.Name).OrderByDescending(g => g.Count()).Take(8).Select(g => $"{g.Key} {g.Count()}"));
        TestContext.Current.TestOutputHelper?.WriteLine($"scrape of a silo with 10,000 cells: {samples.Count} series; largest: {largest}");
        Assert.True(samples.Count <= MetricCardinalityTests.SeriesBudget, $"{samples.Count} series; largest: {largest}");
        var run = "run=\"silo-http-10k\"";
        Assert.Equal(10_000, samples.Where(s => s.Name == "unlearning_grid_cells" && s.Labels.Contains(run, StringComparison.Ordinal)).Sum(s => s.Value));
        Assert.Equal(MetricCardinalityTests.Running + MetricCardinalityTests.Queued, samples.Count(s => s.Name == "unlearning_grid_cell_info" && s.Labels.Contains(run, StringComparison.Ordinal)));
        Assert.DoesNotContain(samples, s => s.Name.StartsWith("unlearning_grid_cell_", StringComparison.Ordinal) && s.Labels.Contains("state=\"done\"", StringComparison.Ordinal));
    }

    /// <summary><c>Metrics__CellSeries</c> reaches the silo's metrics from the host's configuration.</summary>
    [Fact]
    public async Task TheCellSeriesSettingReachesTheSilosMetrics()
    {
        Assert.Equal(MetricsOptions.DefaultCellSeries, _host.Services.GetRequiredService<GridMetrics>().CellSeries);
        using var temp = new TempFolder("silo-http-capped-");
        var capped = await Start("capped", new SiloHttp(0), temp.Path, configuration: new Dictionary<string, string> { ["Metrics:CellSeries"] = "5" });
        try
        {
            var metrics = capped.Services.GetRequiredService<GridMetrics>();
            Assert.Equal(5, metrics.CellSeries);
            metrics.Publish(MetricCardinalityTests.TenThousandCells("capped-10k"));
            var scrape = await Get(capped.Services.GetRequiredService<SiloHttp>().MetricsPort, SiloEndpoints.Metrics);
            metrics.Forget("capped-10k");
            Assert.Equal(5, PrometheusText.Samples(scrape).Count(s => s.Name == "unlearning_grid_cell_info" && s.Labels.Contains("run=\"capped-10k\"", StringComparison.Ordinal)));
        }
        finally
        {
            await capped.StopAsync(TimeSpan.FromSeconds(10));
            capped.Dispose();
        }
    }

    [Fact]
    public async Task ProbesAnswerWithoutTheCluster()
    {
        foreach (var path in new[] { SiloEndpoints.Live, SiloEndpoints.Startup, SiloEndpoints.Ready })
        {
            using var response = await _http.GetAsync($"http://127.0.0.1:{_ports.MetricsPort}{path}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        // The dashboard's port serves neither metrics nor probes, and the metrics port no dashboard.
        using var notThere = await _http.GetAsync($"http://127.0.0.1:{_ports.DashboardPort}{SiloEndpoints.Metrics}");
        Assert.Equal(HttpStatusCode.NotFound, notThere.StatusCode);
        using var noDashboard = await _http.GetAsync($"http://127.0.0.1:{_ports.MetricsPort}/DashboardCounters");
        Assert.Equal(HttpStatusCode.NotFound, noDashboard.StatusCode);
    }

    /// <summary>The metrics port answers GET and HEAD: a POST, DELETE or made-up method is refused
    /// (405) on the scrape endpoint as on the probes, never answered with the whole scrape.</summary>
    [Fact]
    public async Task OnlyGetAndHeadAreAnswered()
    {
        foreach (var path in new[] { SiloEndpoints.Metrics, SiloEndpoints.Live, SiloEndpoints.Ready, SiloEndpoints.Startup })
        {
            foreach (var method in new[] { "POST", "PUT", "DELETE", "PATCH", "TRACE", "BREW" })
            {
                using var refused = await _http.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"http://127.0.0.1:{_ports.MetricsPort}{path}"));
                Assert.True(refused.StatusCode == HttpStatusCode.MethodNotAllowed, $"{method} {path}: {(int)refused.StatusCode}");
            }
            using var head = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"http://127.0.0.1:{_ports.MetricsPort}{path}"));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }
    }

    /// <summary>Orleans' dashboard on its own port, with this silo and its runtime counters.</summary>
    [Fact]
    public async Task TheOrleansDashboardShowsTheSiloAndItsCounters()
    {
        Assert.Contains("<title>Orleans Dashboard</title>", await Get(_ports.DashboardPort!.Value, "/"));
        // The dashboard samples the cluster every second: poll until it has this silo and its counters.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string seen = "nothing";
        while (DateTime.UtcNow < deadline)
        {
            using var counters = JsonDocument.Parse(await Get(_ports.DashboardPort!.Value, "/DashboardCounters"));
            seen = counters.RootElement.ToString();
            if (counters.RootElement.GetProperty("hosts").EnumerateArray().SingleOrDefault() is { ValueKind: JsonValueKind.Object } silo)
            {
                Assert.Equal("observed", silo.GetProperty("siloName").GetString());
                using var siloCounters = JsonDocument.Parse(await Get(_ports.DashboardPort!.Value, $"/SiloCounters/{silo.GetProperty("siloAddress").GetString()}"));
                seen = siloCounters.RootElement.ToString();
                var activations = siloCounters.RootElement.EnumerateArray().FirstOrDefault(c => c.GetProperty("name").GetString() == "orleans-catalog-activations");
                if (activations.ValueKind == JsonValueKind.Object && double.Parse(activations.GetProperty("value").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > 0) return;
            }
            await Task.Delay(500);
        }
        Assert.Fail($"the dashboard showed no silo with counter orleans-catalog-activations above 0 within 30 s; last: {seen}");
    }

    /// <summary>Readiness follows the host's lifetime: not before the silo has joined, not once it stops.</summary>
    [Fact]
    public void ReadinessFollowsTheHostsLifetime()
    {
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var health = new SiloHealth(lifetime);
        Assert.False(health.Started);
        lifetime.NotifyStarted();
        Assert.True(health is { Started: true, Stopping: false });
        lifetime.StopApplication();
        Assert.True(health.Stopping);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _host.StopAsync(TimeSpan.FromSeconds(10));
        _host.Dispose();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}

[CollectionDefinition(nameof(SiloHttpTests), DisableParallelization = true)]
public class SiloHttpCollection;
