using Unlearning.Experiments;
using Microsoft.Extensions.Configuration;

namespace Unlearning.Grains.Tests.Observability;

/// <summary>
/// A silo's series stay bounded whatever the number of cells (issue 23): a grid of 10,000 cells
/// published to <see cref="GridMetrics"/> scrapes as at most 2,000 series; running cells, then queued
/// ones, get series of their own up to <c>Metrics__CellSeries</c>; finished cells appear only in the
/// aggregates (cells by state, mean attack AUC with its number of cells).
/// </summary>
public sealed class MetricCardinalityTests
{
    /// <summary>The most series a silo's scrape may hold, Orleans', the runtime's and ours together.</summary>
    public const int SeriesBudget = 2_000;

    private static readonly string[] Datasets = ["ml-100k", "ml-1m"];
    private static readonly string[] Models = ["ncf", "lightgcn"];
    private static readonly string[] Methods = ["original", "retrain", "adv", "u2u", "d2d"];
    private static readonly string[] PerCell = ["unlearning.grid.cell.info", "unlearning.grid.cell.position", "unlearning.grid.cell.length", "unlearning.grid.cell.eta"];

    public const int Running = 50, Queued = 30, Failed = 100, Done = 6_000, Waiting = 20;

    /// <summary>A sweep of 10,000 cells (2 datasets x 2 models x 5 methods x 10 profiles x 50 seeds):
    /// 50 running (with progress, on four silos), 30 queued, 100 failed, 6,000 done with the MLP's
    /// and the tree's AUC, 20 waiting for their inputs, the rest pending; states spread over the keys.</summary>
    internal static GridStatus TenThousandCells(string run)
    {
        var started = new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
        var cells = new List<CellStatus>(10_000);
        int i = 0;
        foreach (var dataset in Datasets)
            foreach (var model in Models)
                foreach (var method in Methods)
                    for (int profile = 0; profile < 10; profile++)
                        for (int seed = 0; seed < 50; seed++, i++)
                        {
                            var key = new CellSpec(dataset, model, method, $"paper+lr={profile}", 2023 + seed);
                            int slot = i * 7919 % 10_000; // 7919 is prime: a permutation of 0..9999
                            string silo = $"silo-{i % 4}";
                            cells.Add(slot switch
                            {
                                < Running => new CellStatus(key, CellState.Running, silo, Phase: "train", Position: 1 + i % 20, Total: 20, Loss: 0.3, EtaSeconds: 60 + i % 100, StartedAt: started),
                                < Running + Queued => new CellStatus(key, CellState.Queued, silo, QueuedAt: started),
                                < Running + Queued + Failed => new CellStatus(key, CellState.Failed, silo, Error: "diverged", StartedAt: started, FinishedAt: started.AddSeconds(30)),
                                < Running + Queued + Failed + Done => new CellStatus(key, CellState.Done, silo, Phase: "attack", Position: 20, Total: 20, EtaSeconds: 0,
                                    StartedAt: started, FinishedAt: started.AddSeconds(60 + i % 600),
                                    Result: new CellSummary(new() { ["HR@10"] = 0.5 }, new()
                                    {
                                        ["MLP"] = new AttackSummary(0.6, 0.6, 0.6, 0.5 + i % 7 / 100.0),
                                        ["Tree"] = new AttackSummary(0.6, 0.6, 0.6, 0.55 + i % 11 / 100.0),
                                    }, 50, 60, "cuda:0")),
                                < Running + Queued + Failed + Done + Waiting => new CellStatus(key, CellState.WaitingForInputs),
                                _ => new CellStatus(key, CellState.Pending),
                            });
                        }
        return new GridStatus(run, cells, started, null);
    }

    /// <summary>What a one-GPU silo's executor records having computed every finished cell of <paramref name="status"/>.</summary>
    internal static void RecordExecutor(GridMetrics metrics, GridStatus status)
    {
        foreach (var c in status.Cells.Where(c => c.IsFinished))
        {
            metrics.CellFinished(c, "cuda:0");
            for (int epoch = 0; epoch < 3; epoch++) metrics.EpochDone(c.Cell, "cuda:0", 1.5 * (epoch + 1));
            if (c.Cell.Method is "u2u" or "d2d") metrics.StepsDone(c.Cell, 20);
        }
    }

    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    private static List<CellStatus> ByKey(IEnumerable<CellStatus> cells) => [.. cells
        .OrderBy(c => c.Cell.Dataset, StringComparer.Ordinal).ThenBy(c => c.Cell.Model, StringComparer.Ordinal).ThenBy(c => c.Cell.Method, StringComparer.Ordinal)
        .ThenBy(c => c.Cell.Profile, StringComparer.Ordinal).ThenBy(c => c.Cell.Seed)];

    private static (string, string, string, string, string) CellOf(IReadOnlyDictionary<string, string> labels) =>
        (labels["dataset"], labels["model"], labels["method"], labels["profile"], labels["seed"]);

    private static (string, string, string, string, string) CellOf(CellSpec key) =>
        (key.Dataset, key.Model, key.Method, key.Profile, key.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void ATenThousandCellGridScrapesAsAtMostTwoThousandSeries()
    {
        using var metrics = new GridMetrics(new SiloHardware(Gpus: 0, Cores: 16, Slots: 4));
        using var series = new MeterSeries(metrics.Meter);
        var status = TenThousandCells("sweep");
        RecordExecutor(metrics, status);
        metrics.Publish(status);
        var scrape = series.Scrape();

        var counts = series.ByInstrument();
        string table = string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"));
        TestContext.Current.TestOutputHelper?.WriteLine($"10,000 cells: {series.Count} series ({table})");
        Assert.True(series.Count <= SeriesBudget, $"{series.Count} series for 10,000 cells: {table}");

        // Running cells one by one, then queued ones (80 fit under the default cap of 100); nothing of a finished or pending cell.
        Assert.Equal(MetricsOptions.DefaultCellSeries, metrics.CellSeries);
        var info = scrape.Where(s => s.Instrument == "unlearning.grid.cell.info").ToList();
        var running = status.Cells.Where(c => c.State == CellState.Running).Select(c => CellOf(c.Cell)).ToHashSet();
        var queued = status.Cells.Where(c => c.State == CellState.Queued).Select(c => CellOf(c.Cell)).ToHashSet();
        Assert.Equal(running, info.Where(s => s.Labels["state"] == "running").Select(s => CellOf(s.Labels)).ToHashSet());
        Assert.Equal(queued, info.Where(s => s.Labels["state"] == "queued").Select(s => CellOf(s.Labels)).ToHashSet());
        Assert.Equal(Running + Queued, info.Count);
        Assert.All(scrape.Where(s => PerCell.Contains(s.Instrument)), s => Assert.True(running.Contains(CellOf(s.Labels)) || queued.Contains(CellOf(s.Labels)), $"{s.Instrument} of a {s.Labels.GetValueOrDefault("state", "finished")} cell: {string.Join(",", s.Labels)}"));
        var progress = Assert.Single(scrape, s => s.Instrument == "unlearning.grid.cell.position" && CellOf(s.Labels) == running.First());
        Assert.Equal(status.Cells.Single(c => CellOf(c.Cell) == running.First()).Position, progress.Value);
        Assert.Equal(Running, scrape.Count(s => s.Instrument == "unlearning.grid.cell.eta"));

        // The aggregates count every cell.
        var byState = scrape.Where(s => s.Instrument == "unlearning.grid.cells").ToDictionary(s => s.Labels["state"], s => s.Value);
        Assert.Equal(10_000, byState.Values.Sum());
        Assert.Equal(new double[] { Done, Failed, Running, Queued, Waiting }, new[] { byState["done"], byState["failed"], byState["running"], byState["queued"], byState["waiting_for_inputs"] });
        Assert.Equal(status.Cells.Where(c => c.State == CellState.Running).GroupBy(c => c.Silo!).ToDictionary(g => g.Key, g => (double)g.Count()),
            scrape.Where(s => s.Instrument == "unlearning.grid.running").ToDictionary(s => s.Labels["silo"], s => s.Value));

        // Attack AUC: one mean per dataset, model, method and attacker, with its number of cells.
        var aucs = scrape.Where(s => s.Instrument == "unlearning.grid.attack.auc").ToList();
        var ns = scrape.Where(s => s.Instrument == "unlearning.grid.attack.cells").ToList();
        Assert.Equal(Datasets.Length * Models.Length * Methods.Length * 2, aucs.Count);
        Assert.Equal(aucs.Count, ns.Count);
        Assert.All(aucs, a => Assert.Equal(["attacker", "dataset", "method", "model", "run"], a.Labels.Keys.Order(StringComparer.Ordinal)));
        foreach (var attacker in new[] { "MLP", "Tree" })
            Assert.Equal(Done, ns.Where(n => n.Labels["attacker"] == attacker).Sum(n => n.Value));
        foreach (var auc in aucs)
        {
            var done = status.Cells.Where(c => c.State == CellState.Done && (c.Cell.Dataset, c.Cell.Model, c.Cell.Method) == (auc.Labels["dataset"], auc.Labels["model"], auc.Labels["method"]))
                .Select(c => c.Result!.Attacks[auc.Labels["attacker"]].Auc).ToList();
            Assert.Equal(done.Average(), auc.Value, 12);
            Assert.Equal(done.Count, Assert.Single(ns, n => n.Labels.SequenceEqual(auc.Labels)).Value);
        }

        // The executor's histograms and counters: what kind of cell, not which one.
        foreach (var instrument in new[] { "unlearning.cell.duration", "unlearning.epoch.duration", "unlearning.training.epochs", "unlearning.unlearning.steps" })
        {
            var sets = series.Recorded(instrument);
            Assert.NotEmpty(sets);
            Assert.All(sets, labels => Assert.False(labels.ContainsKey("profile") || labels.ContainsKey("seed"), $"{instrument}: {string.Join(",", labels)}"));
        }
        Assert.Equal(Datasets.Length * Models.Length * Methods.Length * 2, series.Recorded("unlearning.cell.duration").Count);
    }

    [Fact]
    public void TheCellSeriesSettingCapsTheCellsWithSeriesOfTheirOwn()
    {
        var status = TenThousandCells("sweep");
        var running = ByKey(status.Cells.Where(c => c.State == CellState.Running));
        var queued = ByKey(status.Cells.Where(c => c.State == CellState.Queued));

        // Fewer than the running cells: the first running cells by key; then the first queued ones.
        foreach (var (cap, expected) in new (int, IEnumerable<CellStatus>)[] { (7, running.Take(7)), (60, running.Concat(queued.Take(10))), (0, []) })
        {
            using var metrics = new GridMetrics(new SiloHardware(0, 4, 4), Settings(("Metrics:CellSeries", cap.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            using var series = new MeterSeries(metrics.Meter);
            Assert.Equal(cap, metrics.CellSeries);
            metrics.Publish(status);
            var scrape = series.Scrape();
            var info = scrape.Where(s => s.Instrument == "unlearning.grid.cell.info").Select(s => CellOf(s.Labels)).ToList();
            Assert.Equal(expected.Select(c => CellOf(c.Cell)).Order(), info.Order());
            Assert.All(scrape.Where(s => PerCell.Contains(s.Instrument)), s => Assert.Contains(CellOf(s.Labels), info));
            // The aggregates are there whatever the cap.
            Assert.Equal(10_000, scrape.Where(s => s.Instrument == "unlearning.grid.cells").Sum(s => s.Value));
            Assert.Equal(Done * 2, scrape.Where(s => s.Instrument == "unlearning.grid.attack.cells").Sum(s => s.Value));
            // The same cells on every scrape.
            Assert.Equal(info, series.Scrape().Where(s => s.Instrument == "unlearning.grid.cell.info").Select(s => CellOf(s.Labels)).ToList());
        }
    }

    [Fact]
    public void TheCapIsTheSilosAcrossItsRunsRunningCellsFirst()
    {
        using var metrics = new GridMetrics(new SiloHardware(0, 4, 4), Settings(("Metrics:CellSeries", "60")));
        using var series = new MeterSeries(metrics.Meter);
        metrics.Publish(TenThousandCells("b"));
        metrics.Publish(TenThousandCells("a"));
        var info = series.Scrape().Where(s => s.Instrument == "unlearning.grid.cell.info").ToList();
        Assert.Equal(60, info.Count);
        Assert.All(info, s => Assert.Equal("running", s.Labels["state"]));
        Assert.Equal((Running, 10), (info.Count(s => s.Labels["run"] == "a"), info.Count(s => s.Labels["run"] == "b")));

        // A forgotten run leaves room for the other's cells, and its aggregates go.
        metrics.Forget("a");
        var scrape = series.Scrape();
        Assert.Equal(60, scrape.Count(s => s.Instrument == "unlearning.grid.cell.info" && s.Labels["run"] == "b"));
        Assert.DoesNotContain(scrape, s => s.Labels.GetValueOrDefault("run") == "a");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("-100")]
    public void ANegativeCapIsRefusedNamingTheSetting(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => new GridMetrics(new SiloHardware(0, 1, 1), Settings(("Metrics:CellSeries", value))));
        Assert.Contains("Metrics__CellSeries", e.Message);
        Assert.Contains(value, e.Message);
        Assert.Contains("Metrics__CellSeries", Assert.Throws<ArgumentException>(() => new MetricsOptions { CellSeries = -1 }.Validate()).Message);
    }
}
