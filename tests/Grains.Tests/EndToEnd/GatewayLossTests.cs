using System.Globalization;
using System.Net.Http;
using System.Text.RegularExpressions;

namespace Unlearning.Grains.Tests.EndToEnd;

/// <summary>
/// A watching client whose gateway silo is killed mid-grid (SIGKILL; it also held the grid grain when
/// the client was connected to that one): the same client process rides it out, sees the grid finish
/// and writes the full report, exiting 0. Cells are simulated (<c>Cells__Engine=simulated</c>, 1 s
/// each), so the test is about the client and the control plane, not the engine.
/// </summary>
[Trait("Category", "Fault")]
public sealed partial class GatewayLossTests
{
    private const int Seeds = 12;

    [GeneratedRegex(@"gateway port (\d+)")]
    private static partial Regex GatewayPort();

    private static void Say(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    [Fact]
    public async Task TheClientOutlivesItsGatewaySiloAndWritesTheFullReport()
    {
        Assert.SkipWhen(LoopbackCluster.RedisServer is null, "redis-server is not installed (.ci/run installs it)");
        await using var cluster = new LoopbackCluster();
        await cluster.StartRedis();
        var simulated = LoopbackCluster.SimulatedEngine(seconds: 1, slots: 4);
        var silos = new Dictionary<string, (int Gateway, int Metrics)>();
        foreach (var name in new[] { "silo1", "silo2", "silo3" })
        {
            var silo = cluster.Silo(name, simulated);
            var listening = await silo.WaitForLine("listening:", TimeSpan.FromMinutes(1));
            cluster.Silos[name] = silo;
            silos[name] = (int.Parse(GatewayPort().Match(listening).Groups[1].Value, CultureInfo.InvariantCulture), Observability.PrometheusEndToEndTests.MetricsPort(silo));
        }

        var outDir = Path.Combine(cluster.Dir, "out");
        int cells = Seeds * 11;
        var client = cluster.StartClient(["grid", "synthetic-small", "--profile", "tiny", "--models", "ncf", "--methods", "original,u2u,d2d",
            "--sweep", "unlearning.trade_off=0.1,0.2,0.3,0.4,0.5", "--seeds", Seeds.ToString(CultureInfo.InvariantCulture), "--run", "gw", "--out", outDir]);
        await cluster.WaitFor("gw", g => g.Count(CellState.Done) >= 24, TimeSpan.FromMinutes(2), "24 cells done");

        // The client's gateways: its process's TCP connections to a silo's gateway port.
        var connected = ConnectedPorts(client.Id);
        var gateways = silos.Where(s => connected.Contains(s.Value.Gateway)).Select(s => s.Key).ToList();
        Assert.True(gateways.Count > 0, $"the client has no connection to a gateway ({string.Join(", ", connected)}; gateways {string.Join(", ", silos.Select(s => s.Value.Gateway))})");
        string? gridSilo = null;
        using (var http = new HttpClient())
            foreach (var (name, ports) in silos)
            {
                // The grid's silo publishes its run's cell counts.
                var scrape = await http.GetStringAsync($"http://127.0.0.1:{ports.Metrics}/metrics");
                if (scrape.Contains("unlearning_grid_cells{", StringComparison.Ordinal) && scrape.Contains("run=\"gw\"", StringComparison.Ordinal)) gridSilo = name;
            }
        var victim = gateways.Contains(gridSilo ?? "") ? gridSilo! : gateways[0];
        Say($"client connected to {string.Join(", ", gateways)}; grid on {gridSilo}; SIGKILL to {victim}");
        cluster.Silos[victim].Signal("KILL");

        Assert.True(client.WaitForExit(TimeSpan.FromMinutes(4)), $"the client did not finish within 4 minutes after the kill\n{client.Errors}");
        Assert.True(client.ExitCode == 0, $"client exit code {client.ExitCode}\n{client.Errors}");
        Assert.DoesNotContain("crashed", client.Errors);

        var run = GridRun.Load(outDir, "gw");
        Assert.Equal(cells, run.Cells.Count);
        Assert.All(run.Cells, c => Assert.Equal(CellState.Done, c.State));
        var report = File.ReadAllText(Path.Combine(GridRun.Directory(outDir, "gw"), "report.md"));
        Assert.Contains("SIMULATED", report);
        Assert.Equal(cells, cluster.StoredResults());
        var computed = SimulatedCellEngine.Computed(cluster.Artifacts);
        Assert.Equal(computed.Count, computed.Distinct().Count());
        Say($"restarted cells: {run.Cells.Count(c => c.Attempt > 1)}; client said:\n{string.Join('\n', client.Errors.Split('\n').Where(l => l.Contains("grid does not answer") || l.Contains("answers again")))}");
    }

    /// <summary>Remote ports of the process's established TCP connections (its socket inodes found in /proc/net/tcp and tcp6).</summary>
    private static HashSet<int> ConnectedPorts(int pid)
    {
        var inodes = new HashSet<string>();
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal)) inodes.Add(target[8..^1]);
            }
            catch (IOException) { }
        }
        var ports = new HashSet<int>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                // local remote state ... inode: state 01 is ESTABLISHED.
                if (f.Length > 9 && f[3] == "01" && inodes.Contains(f[9]))
                    ports.Add(int.Parse(f[2].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }
        return ports;
    }
}
