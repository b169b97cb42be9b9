using Unlearning.Experiments;
using System.Globalization;
using System.Net.Http;
using Unlearning.Tests.Shared;

namespace Unlearning.Grains.Tests.EndToEnd;

/// <summary>
/// The grid's control plane with many cells and no compute: two silo processes whose engine is the
/// simulated one (<c>Cells__Engine=simulated</c>), a real redis-server and the real client running a
/// 330-cell sweep. Asserts the properties that the 10,000-cell benchmark (<c>bench grid-scale</c>)
/// measures, not its times: one result per cell, no cell computed twice, every u2u / d2d started after
/// its original finished, Redis traffic per cell bounded (the grid's state is not rewritten per event)
/// and a silo's scrape bounded (no series per finished cell).
/// </summary>
public sealed class ControlPlaneTests
{
    private const int Seeds = 30;
    private const int SweepValues = 5;

    private static void Say(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    [Fact]
    public async Task HundredsOfSimulatedCellsRunOnceEachInDependencyOrderWithBoundedStateWritesAndSeries()
    {
        Assert.SkipWhen(LoopbackCluster.RedisServer is null, "redis-server is not installed (.ci/run installs it)");
        await using var cluster = new LoopbackCluster();
        await cluster.StartRedis();
        var simulated = LoopbackCluster.SimulatedEngine(seconds: 0.2, slots: 8);
        simulated["Logging__LogLevel__Default"] = "Warning";
        var silos = new[] { cluster.Silo("silo1", simulated), cluster.Silo("silo2", simulated) };
        var ports = new List<int>();
        foreach (var silo in silos)
        {
            // The silo names its metrics port before it says it is listening.
            await silo.WaitForLine("listening:", TimeSpan.FromMinutes(1));
            ports.Add(Observability.PrometheusEndToEndTests.MetricsPort(silo));
        }
        var before = RedisInfo(cluster.Socket);

        var outDir = Path.Combine(cluster.Dir, "out");
        var values = string.Join(',', Enumerable.Range(1, SweepValues).Select(v => (v / 10.0).ToString(CultureInfo.InvariantCulture)));
        var client = cluster.StartClient(["grid", "synthetic-small", "--profile", "tiny", "--models", "ncf", "--methods", "original,u2u,d2d",
            "--sweep", $"unlearning.trade_off={values}", "--seeds", Seeds.ToString(CultureInfo.InvariantCulture), "--run", "plane", "--out", outDir]);
        Assert.True(client.WaitForExit(TimeSpan.FromMinutes(3)), $"the grid did not finish within 3 minutes\n{client.Errors}");
        Assert.True(client.ExitCode == 0, $"client exit code {client.ExitCode}\n{client.Errors}");
        var inputBytes = RedisInfo(cluster.Socket)["total_net_input_bytes"] - before["total_net_input_bytes"];

        int expected = Seeds * (1 + 2 * SweepValues);
        var run = GridRun.Load(outDir, "plane");
        Assert.Equal(expected, run.Cells.Count);
        Assert.All(run.Cells, c => Assert.Equal(CellState.Done, c.State));
        Assert.All(run.Cells, c => Assert.Equal(SimulatedCellEngine.Device, c.Result!.Device));

        // One result per cell, each computed once.
        Assert.Equal(expected, cluster.StoredResults());
        var computed = SimulatedCellEngine.Computed(cluster.Artifacts);
        Assert.Equal(expected, computed.Count);
        Assert.Equal(expected, computed.Distinct().Count());

        // Dependencies: every u2u / d2d took its slot after its original finished (the silos share this machine's clock).
        var byCell = run.Cells.ToDictionary(c => c.Cell);
        var dependents = run.Cells.Where(c => c.Cell.NeedsOriginal).ToList();
        Assert.Equal(Seeds * 2 * SweepValues, dependents.Count);
        Assert.All(dependents, c => Assert.True(c.StartedAt >= byCell[c.Cell.OriginalCell].FinishedAt,
            $"{c.Cell} started at {c.StartedAt:O}, before its original finished at {byCell[c.Cell.OriginalCell].FinishedAt:O}"));

        // The grid's state is written at its start and end, each cell's at its start and end: a few KB a
        // cell. Rewriting the grid's whole state per event made it ~300 KB a cell at this size.
        double perCell = inputBytes / (double)expected;
        Say($"{expected} cells: Redis received {inputBytes / 1e6:F2} MB ({perCell / 1000:F1} KB a cell)");
        Assert.True(perCell < 16_000, $"Redis received {perCell:F0} bytes a cell");

        // A silo's scrape: the grid's own series are aggregates (and running cells: none now), however many
        // cells finished. Per-cell series made more than 3 a finished cell (state, and AUC by attacker).
        using var http = new HttpClient();
        int series = 0, grid = 0;
        foreach (var port in ports)
        {
            var lines = (await http.GetStringAsync($"http://127.0.0.1:{port}/metrics")).Split('\n').Where(l => l.Length > 0 && l[0] != '#').ToList();
            series = Math.Max(series, lines.Count);
            grid = Math.Max(grid, lines.Count(l => l.StartsWith("unlearning_", StringComparison.Ordinal)));
        }
        Say($"most series in one silo's scrape: {series}, of which the grid's own (unlearning_*): {grid}");
        Assert.True(grid < expected / 2, $"a silo's scrape has {grid} unlearning_* series for {expected} finished cells");
    }

    /// <summary>Redis' INFO counters, from redis-cli on the cluster's socket.</summary>
    private static Dictionary<string, long> RedisInfo(string socket)
    {
        var cli = new[] { "/usr/bin/redis-cli", "/usr/local/bin/redis-cli" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-cli is not installed (it comes with redis-server)");
        using var p = ChildProcess.Start(cli, ["-s", socket, "INFO", "stats"]);
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(10)), "redis-cli INFO did not answer");
        return p.Output.Split('\n').Select(l => l.Trim().Split(':')).Where(kv => kv.Length == 2 && long.TryParse(kv[1], out _))
            .ToDictionary(kv => kv[0], kv => long.Parse(kv[1], CultureInfo.InvariantCulture));
    }
}
