using System.Globalization;
using System.Text.Json;
using Unlearning.Tests.Shared;

namespace Unlearning.Grains.Tests.Observability;

/// <summary>
/// A real Prometheus server on loopback (Debian's package): its own free port, temporary storage,
/// a static scrape configuration for the given targets every second, queried through its HTTP API.
/// </summary>
public sealed class LoopbackPrometheus : IDisposable
{
    private readonly ChildProcess _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static string? Binary { get; } = new[] { "/usr/bin/prometheus", "/usr/local/bin/prometheus" }.FirstOrDefault(File.Exists);

    private LoopbackPrometheus(ChildProcess process, int port)
    {
        _process = process;
        Port = port;
        _http.BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public int Port { get; }
    public string Output => _process.Output + "\n" + _process.Errors;

    /// <param name="rules">A rules file for Prometheus to evaluate (every second), or none.</param>
    public static async Task<LoopbackPrometheus> Start(string dir, IEnumerable<string> targets, string? rules = null)
    {
        Directory.CreateDirectory(dir);
        var config = Path.Combine(dir, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            {(rules is null ? "" : $"rule_files: ['{rules}']")}
            scrape_configs:
              - job_name: silo
                metrics_path: {SiloEndpoints.Metrics}
                static_configs:
                  - targets: [{string.Join(", ", targets.Select(t => $"'{t}'"))}]
            """);
        for (int attempt = 1; ; attempt++)
        {
            // Prometheus does not report a port the system chose, so one is picked free and retried if taken meanwhile.
            int port = SiloStarter.FreePort();
            var process = ChildProcess.Start(Binary!, [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(dir, "data")}",
                $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"]);
            var prometheus = new LoopbackPrometheus(process, port);
            if (await prometheus.Ready()) return prometheus;
            prometheus.Dispose();
            if (attempt == 3) throw new InvalidOperationException($"prometheus did not start:\n{prometheus.Output}");
        }
    }

    private async Task<bool> Ready()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !_process.WaitForExit(TimeSpan.Zero))
        {
            try
            {
                using var response = await _http.GetAsync("-/ready");
                if (response.IsSuccessStatusCode) return true;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        return false;
    }

    /// <summary>The instant vector <paramref name="promql"/> evaluates to: labels and value of each element.</summary>
    public async Task<List<(Dictionary<string, string> Labels, double Value)>> Query(string promql)
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync($"api/v1/query?query={Uri.EscapeDataString(promql)}"));
        var data = doc.RootElement.GetProperty("data");
        Assert.Equal("vector", data.GetProperty("resultType").GetString());
        return data.GetProperty("result").EnumerateArray().Select(r => (
            r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture))).ToList();
    }

    /// <summary>The single value of a query that yields one element; null when it yields none.</summary>
    public async Task<double?> Value(string promql)
    {
        var result = await Query(promql);
        Assert.True(result.Count <= 1, $"{promql} gave {result.Count} elements");
        return result.Count == 0 ? null : result[0].Value;
    }

    public async Task<double> WaitFor(string promql, Func<double, bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        double? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await Value(promql);
            if (last is { } v && condition(v)) return v;
            await Task.Delay(250);
        }
        throw new TimeoutException($"{promql} was {last?.ToString(CultureInfo.InvariantCulture) ?? "empty"} after {limit}\n{Output}");
    }

    /// <summary>Every rule Prometheus loaded: its name (alert or record), its query, its health ("ok" once it
    /// evaluated without error) and the error where it did not.</summary>
    public async Task<List<(string Name, string Query, string Health, string? Error)>> Rules()
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync("api/v1/rules"));
        return doc.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray())
            .Select(r => (r.GetProperty("name").GetString()!, r.GetProperty("query").GetString()!, r.GetProperty("health").GetString()!,
                r.TryGetProperty("lastError", out var e) ? e.GetString() : null))
            .ToList();
    }

    /// <summary>Every metric name Prometheus has stored from its scrapes.</summary>
    public async Task<HashSet<string>> MetricNames()
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync("api/v1/label/__name__/values"));
        return doc.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetString()!).ToHashSet();
    }

    public void Dispose()
    {
        _http.Dispose();
        _process.Dispose();
    }
}
