using Unlearning.Experiments;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Unlearning.Data;
using Unlearning.Grains;

namespace Unlearning.Bench;

/// <summary>
/// What a Prometheus scrape costs a busy silo. A silo in this process (one device slot, so that the
/// second core is free for the scrapes) runs a queue of synthetic-small paper cells; the process's CPU
/// time is measured over a window without scrapes and a window of back-to-back scrapes; the difference
/// per scrape, at one scrape every 15 s, is the share of the silo's CPU that monitoring costs.
///   dotnet run -c Release --project bench/Unlearning.Bench -- scrape [--seconds 20] [--out DIR]
/// </summary>
public static class ScrapeCost
{
    private const double IntervalSeconds = 15;

    public static async Task<int> Run(string[] args)
    {
        double window = 20;
        string dir = Path.Combine(Path.GetTempPath(), $"scrape-bench-{Guid.NewGuid():N}");
        string results = Path.Combine(RepoPaths.RepoRoot ?? ".", "bench", "results");
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds" when i + 1 < args.Length: window = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--out" when i + 1 < args.Length: dir = Path.GetFullPath(args[++i]); break;
                case "--results" when i + 1 < args.Length: results = Path.GetFullPath(args[++i]); break;
                default: Console.Error.WriteLine($"error: unknown argument '{args[i]}'"); return 2;
            }
        }
        var provenance = Provenance.Capture();
        var cluster = new ClusterSettings { SiloPort = 0, GatewayPort = 0, PrimarySiloPort = 0, SiloName = "bench", ClusterId = $"bench-{Guid.NewGuid():N}" };
        var (host, _) = await SiloStarter.StartAsync(cluster, settings => GridHost.Build(settings, new SiloHttp(0).WithFreePorts(), builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration["Cells:Slots"] = "1";
            builder.Configuration["Cells:Gpus"] = "0";
            builder.Configuration["Storage:Data"] = dir;
            builder.Configuration["Storage:Artifacts"] = dir;
        }), CancellationToken.None, otherAutomaticPorts: true);
        try
        {
            int port = host.Services.GetRequiredService<SiloHttp>().MetricsPort;
            var cells = Unlearning.Catalog.Registry.Models.Names.SelectMany(model => Unlearning.Catalog.Registry.PaperGridMethods
                .Select(method => new CellSpec("synthetic-small", model, method, "paper", 2023))).ToList();
            var grid = host.Services.GetRequiredService<IClusterClient>().GetGrain<IGridGrain>("scrape-bench");
            await grid.Start(new GridRequest("scrape-bench", cells, new GridSettings()));
            var executor = host.Services.GetRequiredService<CellExecutor>();
            while (executor.Running == 0) await Task.Delay(100);
            await Task.Delay(TimeSpan.FromSeconds(3)); // past data generation, into training

            using var http = new HttpClient();
            var url = $"http://127.0.0.1:{port}{SiloEndpoints.Metrics}";
            string sample = await http.GetStringAsync(url);
            var quiet = await Measure(window, () => Task.Delay(50));
            int scrapes = 0;
            var wall = new Stopwatch();
            var busy = await Measure(window, async () =>
            {
                wall.Start();
                sample = await http.GetStringAsync(url);
                wall.Stop();
                scrapes++;
            });
            bool stillBusy = executor.Running > 0;
            await grid.Cancel();

            double cpuPerScrape = (busy.CpuSeconds - quiet.CpuSeconds / quiet.WallSeconds * busy.WallSeconds) / scrapes;
            double siloCores = quiet.CpuSeconds / quiet.WallSeconds;
            int series = sample.Split('\n').Count(l => l.Length > 0 && l[0] != '#');
            var lines = new List<string>
            {
                $"# Scrape cost of a busy silo ({provenance.StartedAt:yyyy-MM-dd HH:mm} UTC, commit {provenance.Commit}{(provenance.UncommittedChanges ? " + changes" : "")})",
                "",
                $"Machine: {provenance.Cpu}, {provenance.Cores} cores. One device slot training synthetic-small paper cells{(stillBusy ? "" : " (WARNING: the slot went idle during the measurement)")}.",
                "",
                "| figure | value |",
                "|---|---|",
                $"| series per scrape | {series} |",
                $"| bytes per scrape | {sample.Length:N0} |",
                $"| scrapes measured | {scrapes} in {busy.WallSeconds:F1} s |",
                $"| wall time per scrape | {wall.Elapsed.TotalMilliseconds / scrapes:F2} ms |",
                $"| silo CPU without scrapes | {siloCores:F2} cores |",
                $"| CPU per scrape | {cpuPerScrape * 1000:F2} ms |",
                $"| at one scrape per {IntervalSeconds:F0} s | {cpuPerScrape / IntervalSeconds * 100:F4} % of one core, {cpuPerScrape / IntervalSeconds / siloCores * 100:F4} % of the silo's CPU |",
                // The CPU difference is noisy (the training's own use varies between windows); a scrape
                // is served on one thread, so its wall time bounds its CPU time from above.
                $"| bound from wall time, one scrape per {IntervalSeconds:F0} s | at most {wall.Elapsed.TotalSeconds / scrapes / IntervalSeconds * 100:F3} % of one core |",
            };
            var text = string.Join('\n', lines) + "\n";
            Console.WriteLine(text);
            Directory.CreateDirectory(results);
            var path = Path.Combine(results, $"scrape-{provenance.StartedAt:yyyyMMdd-HHmmss}.md");
            File.WriteAllText(path, text);
            Console.Error.WriteLine($"figures: {path}");
            return stillBusy ? 0 : 1;
        }
        finally
        {
            await host.StopAsync(TimeSpan.FromSeconds(30));
            host.Dispose();
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(double WallSeconds, double CpuSeconds)> Measure(double seconds, Func<Task> action)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds) await action();
        process.Refresh();
        return (clock.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds);
    }
}
