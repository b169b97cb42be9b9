using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Unlearning.Tests.Shared;

namespace Unlearning.Grains.Tests.EndToEnd;

/// <summary>
/// The deployment shape on loopback, with real processes: a redis-server on a Unix socket, silo
/// processes (Redis clustering, grain state and reminders; short membership timeouts so that a
/// killed silo is declared dead within seconds), each with its own data folder and one shared
/// artifact store, and an Orleans client in the test process to watch the grid.
/// </summary>
public sealed class LoopbackCluster : IAsyncDisposable
{
    private readonly List<ChildProcess> _processes = [];
    private readonly bool _appendOnly;
    private ChildProcess? _redis;
    private IHost? _client;

    public LoopbackCluster(bool appendOnly = false)
    {
        _appendOnly = appendOnly;
        Directory.CreateDirectory(Dir);
        Directory.CreateDirectory(RedisDir);
    }

    public static string? RedisServer { get; } = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists);

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), $"cluster-{Guid.NewGuid():N}");
    public string ClusterId { get; } = $"test-{Guid.NewGuid():N}";
    public string Socket => Path.Combine(Dir, "redis.sock");
    public string Redis => $"unix:{Socket}";
    public string Artifacts => Path.Combine(Dir, "artifacts");
    private string RedisDir => Path.Combine(Dir, "redis");
    public Dictionary<string, ChildProcess> Silos { get; } = new();

    public async Task StartRedis(params string[] extra)
    {
        File.Delete(Socket);
        string[] args = ["--port", "0", "--unixsocket", Socket, "--dir", RedisDir, "--save", "", "--appendonly", _appendOnly ? "yes" : "no", "--appendfsync", "always", .. extra];
        _redis = Keep(ChildProcess.Start(RedisServer!, args));
        await Until(() => File.Exists(Socket), TimeSpan.FromSeconds(10), "redis-server socket");
    }

    /// <summary>Stops Redis (SIGTERM: it finishes its append-only file) and starts it again on the same files.</summary>
    public async Task RestartRedis()
    {
        _redis!.Signal("TERM");
        Assert.True(_redis.WaitForExit(TimeSpan.FromSeconds(20)), $"redis-server did not stop within 20 seconds\n{_redis.Printed}");
        await StartRedis();
    }

    public async Task<ChildProcess> StartSilo(string name, Dictionary<string, string>? extra = null)
    {
        var silo = Silo(name, extra);
        await silo.WaitForLine("listening:", TimeSpan.FromMinutes(1));
        Silos[name] = silo;
        return silo;
    }

    /// <summary>A silo process, started but not waited for.</summary>
    public ChildProcess Silo(string name, Dictionary<string, string>? extra = null)
    {
        var env = new Dictionary<string, string>
        {
            ["Cluster__Redis"] = Redis,
            ["Cluster__ClusterId"] = ClusterId,
            ["Cluster__SiloPort"] = "0",
            ["Cluster__GatewayPort"] = "0",
            ["Cluster__AdvertisedIp"] = "127.0.0.1",
            ["Cluster__SiloName"] = name,
            ["Cells__Slots"] = "1",
            ["Cells__Gpus"] = "0",
            ["Metrics__Port"] = "0",
            ["Storage__Data"] = Path.Combine(Dir, $"data-{name}"),
            ["Storage__Artifacts"] = Artifacts,
            ["Membership__ProbeTimeout"] = "00:00:01",
            ["Membership__NumMissedProbesLimit"] = "2",
            ["Membership__NumVotesForDeathDeclaration"] = "1",
            ["Membership__DeathVoteExpirationTimeout"] = "00:00:10",
            ["Logging__LogLevel__Default"] = "Information",
        };
        foreach (var (k, v) in extra ?? []) env[k] = v;
        return Keep(ChildProcess.StartBuilt("src/Silo", "unlearn-silo.dll", [], env));
    }

    /// <summary>Silo settings for the simulated engine (<c>Cells__Engine=simulated</c>): cells that hold a slot and compute nothing.</summary>
    public static Dictionary<string, string> SimulatedEngine(double seconds, int slots) => new()
    {
        ["Cells__Engine"] = "simulated",
        ["Cells__SimulatedSeconds"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Cells__Slots"] = slots.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public ChildProcess StartClient(IEnumerable<string> args, Dictionary<string, string>? extra = null)
    {
        var env = new Dictionary<string, string> { ["Cluster__ClusterId"] = ClusterId };
        foreach (var (k, v) in extra ?? []) env[k] = v;
        return Keep(ChildProcess.StartBuilt("src/Client", "unlearn.dll", [.. args, "--cluster", Redis], env));
    }

    /// <summary>An Orleans client in this process, for reading grid state.</summary>
    public async Task<IClusterClient> Client()
    {
        if (_client is null)
        {
            var settings = new ClusterSettings { Redis = Redis, ClusterId = ClusterId };
            var builder = Host.CreateApplicationBuilder();
            builder.UseOrleansClient(c =>
            {
                c.UseRedisClustering(o => o.ConfigurationOptions = settings.RedisOptions());
                c.Configure<ClusterOptions>(o => { o.ClusterId = settings.ClusterId; o.ServiceId = settings.ServiceId; });
            });
            _client = builder.Build();
            await _client.StartAsync();
        }
        return _client.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>Polls the grid until <paramref name="condition"/> holds; calls to a silo that just died
    /// fail until it is declared dead, and are retried.</summary>
    public async Task<GridStatus> WaitFor(string runId, Func<GridStatus, bool> condition, TimeSpan limit, string what)
    {
        var grid = (await Client()).GetGrain<IGridGrain>(runId);
        var deadline = DateTime.UtcNow + limit;
        GridStatus? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await grid.GetStatus().WaitAsync(TimeSpan.FromSeconds(10));
                if (condition(last)) return last;
            }
            catch (Exception e) when (e is not OutOfMemoryException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{what} within {limit}: {(last is null ? "no status" : string.Join("; ", last.Cells.Select(c => $"{c.Cell} {c.State} {c.Silo} {c.Position}/{c.Total} {c.Error}")))}\n" +
            string.Join("\n", Silos.Select(s => $"--- {s.Key}\n{Tail(s.Value.Output + "\n" + s.Value.Errors)}")));
    }

    private static string Tail(string text) => text.Length > 3000 ? text[^3000..] : text;

    public static async Task Until(Func<bool> condition, TimeSpan limit, string what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no {what} within {limit}");
            await Task.Delay(50);
        }
    }

    /// <summary>Finished results in the shared artifact store.</summary>
    public int StoredResults() => Directory.Exists(Artifacts)
        ? Directory.EnumerateFiles(Path.Combine(Artifacts, "cells"), "result.json", SearchOption.AllDirectories).Count()
        : 0;

    private ChildProcess Keep(ChildProcess process)
    {
        _processes.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            try { await _client.StopAsync(TimeSpan.FromSeconds(5)); } catch (Exception) { }
            _client.Dispose();
        }
        foreach (var p in Enumerable.Reverse(_processes)) p.Dispose();
        try { if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true); }
        catch (IOException) { }
    }
}
