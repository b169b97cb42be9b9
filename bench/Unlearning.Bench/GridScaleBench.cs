using Unlearning.Experiments;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Unlearning.Data;
using Unlearning.Grains;

namespace Unlearning.Bench;

/// <summary>
/// The grid's control plane at scale, with no compute: a real redis-server, N real silo processes whose
/// engine is simulated (<c>Cells__Engine=simulated</c>: each cell holds its slot for --cell-seconds with
/// 10 % jitter, reports progress and stores a small result), and the real client running
/// <c>grid synthetic-small --profile tiny --models ncf --methods original,u2u,d2d --sweep unlearning.trade_off=5 values --seeds S</c>
/// (one original per ten u2u / d2d cells; past 1,100 cells also <c>--sweep training.embedding_decay=...</c>, since seeds are at most 100). Measures wall time against the ideal, handoff and dependency
/// latencies, Redis traffic per cell, each process's CPU seconds and peak memory, a silo's scrape size,
/// and then <c>report</c> and <c>grid status</c> on the finished run. --kill-silo sends SIGKILL to the
/// last silo halfway through the ideal time and counts results: one per cell, none computed twice.
///   dotnet run -c Release --project bench/Unlearning.Bench -- grid-scale [--cells 10000] [--silos 3] [--slots 16]
///       [--cell-seconds 1] [--kill-silo] [--limit-minutes 30] [--label TEXT] [--results DIR]
/// </summary>
public static class GridScaleBench
{
    private const int SweepValues = 5;
    private const string RunId = "scale";

    private sealed record Options(int Cells, int Silos, int Slots, double CellSeconds, bool KillSilo, double LimitMinutes, string Label, string Results);

    public static async Task<int> Run(string[] args)
    {
        Options options;
        try { options = Parse(args); }
        catch (ArgumentException e) { Console.Error.WriteLine($"error: {e.Message}"); return 2; }
        var redisServer = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists);
        if (redisServer is null) { Console.Error.WriteLine("error: redis-server is not installed (scripts/setup.sh installs it)"); return 2; }
        string silo = Built("src/Silo", "unlearn-silo.dll"), client = Built("src/Client", "unlearn.dll");
        foreach (var dll in new[] { silo, client })
            if (!File.Exists(dll)) { Console.Error.WriteLine($"error: {dll} is not built (dotnet build -c Release Unlearning.slnx)"); return 2; }

        var provenance = Provenance.Capture();
        var dir = Path.Combine(Path.GetTempPath(), $"grid-scale-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(dir, "redis"));
        var socket = Path.Combine(dir, "redis.sock");
        var clusterId = $"scale-{Guid.NewGuid():N}";
        var processes = new List<BenchProcess>();
        try
        {
            var redis = BenchProcess.Start("redis-server", redisServer, ["--port", "0", "--unixsocket", socket, "--dir", Path.Combine(dir, "redis"), "--save", "", "--appendonly", "no"]);
            processes.Add(redis);
            await Until(() => File.Exists(socket), TimeSpan.FromSeconds(10), "redis-server's socket");

            var silos = new List<(BenchProcess Process, int MetricsPort)>();
            for (int i = 1; i <= options.Silos; i++)
            {
                var p = BenchProcess.StartDll($"silo{i}", silo, [], SiloEnvironment(options, $"silo{i}", socket, clusterId, dir));
                processes.Add(p);
                silos.Add((p, 0));
            }
            for (int i = 0; i < silos.Count; i++)
            {
                await silos[i].Process.WaitForLine("listening:", TimeSpan.FromMinutes(2));
                var ports = await silos[i].Process.WaitForLine("metrics and probes on port", TimeSpan.FromSeconds(5));
                silos[i] = (silos[i].Process, int.Parse(ports.Split("port ")[1].Split(',')[0].Trim(), CultureInfo.InvariantCulture));
            }
            var redisBefore = RedisStats.Read(socket);
            // Seeds are at most 100: past 1,100 cells, a sweep of a training setting makes more originals.
            int originalsPerSeed = (int)Math.Ceiling(options.Cells / (100.0 * (1 + 2 * SweepValues)));
            int seeds = (int)Math.Ceiling(options.Cells / (double)(originalsPerSeed * (1 + 2 * SweepValues)));
            var values = string.Join(',', Enumerable.Range(1, SweepValues).Select(v => (v / 10.0).ToString(CultureInfo.InvariantCulture)));
            var outDir = Path.Combine(dir, "out");
            List<string> gridArgs = ["grid", "synthetic-small", "--profile", "tiny", "--models", "ncf", "--methods", "original,u2u,d2d",
                "--sweep", $"unlearning.trade_off={values}", "--seeds", seeds.ToString(CultureInfo.InvariantCulture), "--run", RunId, "--out", outDir, "--cluster", $"unix:{socket}"];
            if (originalsPerSeed > 1)
                gridArgs.AddRange(["--sweep", "training.embedding_decay=" + string.Join(',', Enumerable.Range(1, originalsPerSeed).Select(v => (v * 1e-4).ToString(CultureInfo.InvariantCulture)))]);
            int total = seeds * originalsPerSeed * (1 + 2 * SweepValues);
            var clientEnv = new Dictionary<string, string> { ["Cluster__ClusterId"] = clusterId };
            var clock = Stopwatch.StartNew();
            var watcher = BenchProcess.StartDll("client", client, gridArgs, clientEnv);
            processes.Add(watcher);
            Console.Error.WriteLine($"grid-scale: {total} cells of {options.CellSeconds} s on {options.Silos} silos x {options.Slots} slots (work dir {dir})");

            double idealSeconds = total * options.CellSeconds / (options.Silos * options.Slots);
            double? killedAt = null;
            string? killedSilo = null;
            bool killedGridHost = false;
            DateTimeOffset? killTime = null;
            int mostSeries = 0, clientRestarts = 0;
            var nextScrape = TimeSpan.Zero;
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            var limit = TimeSpan.FromMinutes(options.LimitMinutes);
            while (!watcher.HasExited || (watcher.ExitCode is not (0 or 1 or 2) && clientRestarts < 3))
            {
                if (watcher.HasExited)
                {
                    // The client lost its grid (the killed silo held it): re-attach as a user would.
                    Console.Error.WriteLine($"client exited with {watcher.ExitCode}; re-attaching (`grid status {RunId}`):\n{watcher.Tail(5)}");
                    clientRestarts++;
                    watcher = BenchProcess.StartDll("client", client, ["grid", "status", RunId, "--out", outDir, "--cluster", $"unix:{socket}"], clientEnv);
                    processes.Add(watcher);
                }
                foreach (var p in processes) p.Sample();
                if (clock.Elapsed >= nextScrape)
                {
                    nextScrape = clock.Elapsed + TimeSpan.FromSeconds(5);
                    foreach (var (p, port) in silos.Where(s => !s.Process.HasExited))
                        mostSeries = Math.Max(mostSeries, await SeriesIn(http, port));
                }
                if (options.KillSilo && killedAt is null && clock.Elapsed.TotalSeconds >= idealSeconds / 2)
                {
                    // The worst silo to lose: the one holding the grid grain (it publishes the run's cell counts), with its share of the cells.
                    var victim = silos[^1];
                    foreach (var s in silos)
                        if (await Scrape(http, s.MetricsPort) is { } text && text.Contains($"unlearning_grid_cells{{", StringComparison.Ordinal) && text.Contains($"run=\"{RunId}\"", StringComparison.Ordinal))
                        {
                            victim = s;
                            killedGridHost = true;
                        }
                    victim.Process.Signal("KILL");
                    killedSilo = victim.Process.Name;
                    killedAt = clock.Elapsed.TotalSeconds;
                    killTime = DateTimeOffset.Now;
                    Console.Error.WriteLine($"SIGKILL to {killedSilo} at {killedAt:F1} s");
                }
                if (clock.Elapsed > limit) break;
                await Task.Delay(500);
            }
            var clientSeconds = clock.Elapsed.TotalSeconds;
            bool finished = watcher.HasExited && watcher.ExitCode is 0 or 1;
            var clients = processes.Where(p => p.Name == "client").ToList();
            var redisDuring = RedisStats.Read(socket).Since(redisBefore);
            foreach (var (p, port) in silos.Where(s => !s.Process.HasExited)) mostSeries = Math.Max(mostSeries, await SeriesIn(http, port));
            foreach (var p in processes) p.Sample();

            var figures = new StringBuilder();
            var row = (string label, string value) => figures.AppendLine($"| {label} | {value} |");
            if (!finished)
            {
                row("outcome", $"**did not finish within {options.LimitMinutes} minutes**");
            }
            var run = GridRun.Load(outDir, RunId);
            var status = new GridStatus(run.RunId, run.Cells, run.StartedAt, run.FinishedAt);
            var timeline = GridTimeline.From(status);
            int cells = run.Cells.Count;
            row("cells (originals + u2u / d2d)", $"{cells} ({run.Cells.Count(c => !c.Cell.NeedsOriginal)} + {run.Cells.Count(c => c.Cell.NeedsOriginal)})");
            row("done / failed / unfinished", $"{status.Count(CellState.Done)} / {status.Count(CellState.Failed)} / {cells - status.Count(CellState.Done) - status.Count(CellState.Failed)}");
            foreach (var (label, value) in timeline.Figures()) row(label, value);
            row("nominal ideal (cells x cell seconds / slots; longest chain 2 x cell seconds)", $"{idealSeconds:F1} s; {2 * options.CellSeconds:F1} s");
            row("wall / nominal ideal", $"{timeline.WallSeconds / Math.Max(idealSeconds, 2 * options.CellSeconds):F3}x");
            row("client command wall (start to exit)", $"{clientSeconds:F1} s");
            row("Redis bytes received during the grid (per cell)", $"{redisDuring.InputBytes / 1e6:F1} MB ({redisDuring.InputBytes / (double)cells / 1000:F1} KB)");
            row("Redis commands during the grid (per cell)", $"{redisDuring.Commands} ({redisDuring.Commands / (double)cells:F1}): {string.Join(", ", redisDuring.ByCommand.Where(c => c.Value > 0).OrderByDescending(c => c.Value).Take(5).Select(c => $"{c.Key} {c.Value}"))}");
            foreach (var (p, _) in silos)
                row($"{p.Name}: CPU seconds, peak memory", $"{p.CpuSeconds:F1} s, {p.PeakBytes / 1048576.0:F0} MB{(p.HasExited ? " (killed)" : "")}");
            row("client: CPU seconds, peak memory", $"{clients.Sum(c => c.CpuSeconds):F1} s, {clients.Max(c => c.PeakBytes) / 1048576.0:F0} MB{(clients.Count > 1 ? $" ({clients.Count} client processes: re-attached after the kill)" : "")}");
            row("most series in one silo's scrape", mostSeries.ToString(CultureInfo.InvariantCulture));

            var results = Directory.Exists(Path.Combine(outDir, "cells"))
                ? Directory.EnumerateFiles(Path.Combine(outDir, "cells"), "result.json", SearchOption.AllDirectories).Count() : 0;
            var twice = SimulatedCellEngine.Computed(outDir).GroupBy(c => c).Count(g => g.Count() > 1);
            row("results in the store / cells computed twice", $"{results} / {twice}");
            if (killedAt is { } kill && killTime is { } killed)
            {
                var restarted = run.Cells.Where(c => c.Attempt > 1 && c.StartedAt is not null).ToList();
                var recovery = restarted.Count == 0 ? "no cell was restarted"
                    : $"{restarted.Count} cells restarted; the last started {(restarted.Max(c => c.StartedAt!.Value) - killed).TotalSeconds:F1} s after the kill (recovery)";
                row("SIGKILL of one silo", $"{killedSilo}{(killedGridHost ? " (it held the grid grain)" : "")} at {kill:F1} s of the client's clock; {recovery}; {clients.Count - 1} client re-attach(es)");
            }

            var reportSeconds = Timed(() => BenchProcess.StartDll("report", client, ["report", RunId, "--out", outDir], clientEnv));
            var statusSeconds = Timed(() => BenchProcess.StartDll("status", client, ["grid", "status", RunId, "--out", outDir, "--cluster", $"unix:{socket}"], clientEnv));
            row("`report` on the finished run (run file)", reportSeconds);
            row("`grid status` on the finished run (cluster)", statusSeconds);

            provenance = provenance with { FinishedAt = DateTimeOffset.Now };
            var markdown = Render(options, provenance, figures.ToString());
            Directory.CreateDirectory(options.Results);
            var path = Path.Combine(options.Results, $"grid-scale-{cells}{(options.KillSilo ? "-kill" : "")}{(options.Label.Length > 0 ? "-" + options.Label : "")}-{provenance.StartedAt:yyyyMMdd-HHmmss}.md");
            File.WriteAllText(path, markdown);
            Console.WriteLine(markdown);
            Console.Error.WriteLine($"figures: {path}");
            return finished && results == cells && twice == 0 ? 0 : 1;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            foreach (var p in processes) Console.Error.WriteLine($"--- {p.Name}\n{p.Tail(15)}");
            return 1;
        }
        finally
        {
            foreach (var p in Enumerable.Reverse(processes)) p.Dispose();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static Dictionary<string, string> SiloEnvironment(Options options, string name, string socket, string clusterId, string dir) => new()
    {
        ["Cluster__Redis"] = $"unix:{socket}",
        ["Cluster__ClusterId"] = clusterId,
        ["Cluster__SiloPort"] = "0",
        ["Cluster__GatewayPort"] = "0",
        ["Cluster__AdvertisedIp"] = "127.0.0.1",
        ["Cluster__SiloName"] = name,
        ["Cells__Engine"] = "simulated",
        ["Cells__SimulatedSeconds"] = options.CellSeconds.ToString(CultureInfo.InvariantCulture),
        ["Cells__Slots"] = options.Slots.ToString(CultureInfo.InvariantCulture),
        ["Cells__Gpus"] = "0",
        ["Metrics__Port"] = "0",
        ["Metrics__Address"] = "127.0.0.1",
        ["Storage__Data"] = Path.Combine(dir, $"data-{name}"),
        ["Storage__Artifacts"] = Path.Combine(dir, "out"),
        // A killed silo is declared dead within seconds, as in the fault tests.
        ["Membership__ProbeTimeout"] = "00:00:01",
        ["Membership__NumMissedProbesLimit"] = "2",
        ["Membership__NumVotesForDeathDeclaration"] = "1",
        ["Membership__DeathVoteExpirationTimeout"] = "00:00:10",
    };

    private static async Task<int> SeriesIn(HttpClient http, int port) =>
        (await Scrape(http, port))?.Split('\n').Count(l => l.Length > 0 && l[0] != '#') ?? 0;

    private static async Task<string?> Scrape(HttpClient http, int port)
    {
        try
        {
            return await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>A command's wall time and peak memory (sampled every 50 ms while it runs).</summary>
    private static string Timed(Func<BenchProcess> start)
    {
        var clock = Stopwatch.StartNew();
        using var p = start();
        var limit = TimeSpan.FromMinutes(10);
        while (!p.WaitForExit(TimeSpan.FromMilliseconds(50)))
        {
            p.Sample();
            if (clock.Elapsed > limit) return "did not finish within 10 minutes";
        }
        return $"{clock.Elapsed.TotalSeconds:F1} s, peak {p.PeakBytes / 1048576.0:F0} MB (exit {p.ExitCode})";
    }

    private static string Render(Options options, Provenance provenance, string rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# Grid control plane at scale: {options.Cells} cells, SIMULATED engine{(options.Label.Length > 0 ? $" ({options.Label})" : "")}");
        sb.AppendLine();
        sb.AppendLine($"Simulated cells (`Cells__Engine=simulated`: each holds its slot for {options.CellSeconds} s +/- 10 % and computes nothing) on {options.Silos} silo processes x {options.Slots} slots, a real redis-server and the real client. Not results: a measure of the grid's own cost.");
        sb.AppendLine();
        sb.AppendLine($"Commit {provenance.Commit}{(provenance.UncommittedChanges ? " (with uncommitted changes)" : "")}; {provenance.Cpu}, {provenance.Cores} cores, {provenance.MemoryBytes / (1L << 30)} GiB; {provenance.Os}; {provenance.Runtime}; started {provenance.StartedAt:yyyy-MM-dd HH:mm:ss zzz}.");
        sb.AppendLine();
        sb.AppendLine("| figure | value |");
        sb.AppendLine("|---|---|");
        sb.Append(rows);
        return sb.ToString();
    }

    private static Options Parse(string[] args)
    {
        int cells = 10000, silos = 3, slots = 16;
        double seconds = 1, limit = 30;
        bool kill = false;
        string label = "", results = Path.Combine(RepoPaths.RepoRoot ?? ".", "bench", "results");
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--cells": cells = PositiveInt("--cells", Value()); break;
                case "--silos": silos = PositiveInt("--silos", Value()); break;
                case "--slots": slots = PositiveInt("--slots", Value()); break;
                case "--cell-seconds": seconds = PositiveDouble("--cell-seconds", Value()); break;
                case "--limit-minutes": limit = PositiveDouble("--limit-minutes", Value()); break;
                case "--kill-silo": kill = true; break;
                case "--label": label = Unlearning.Storage.SafeName.Check(Value(), "--label"); break;
                case "--results": results = Value(); break;
                default: throw new ArgumentException($"unknown option '{args[i]}' (grid-scale takes --cells, --silos, --slots, --cell-seconds, --kill-silo, --limit-minutes, --label, --results)");
            }
        }
        if (kill && silos < 2) throw new ArgumentException("--kill-silo needs at least 2 --silos");
        return new Options(cells, silos, slots, seconds, kill, limit, label, results);
    }

    private static int PositiveInt(string option, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{option} must be a positive whole number, got '{value}'");

    private static double PositiveDouble(string option, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x > 0 ? x : throw new ArgumentException($"{option} must be a positive number, got '{value}'");

    private static async Task Until(Func<bool> condition, TimeSpan limit, string what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no {what} within {limit}");
            await Task.Delay(50);
        }
    }

    /// <summary>A program of this repository built in this benchmark's configuration (the bench project builds it).</summary>
    private static string Built(string projectFolder, string dll)
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Path.Combine(RepoPaths.RepoRoot ?? ".", projectFolder, "bin", here.Parent!.Name, here.Name, dll);
    }
}
