using SkiaSharp;
using Unlearning.Attack;
using Unlearning.Experiments;
using Unlearning.Plots;
using Unlearning.Reporting;

namespace Unlearning.Tests.Reporting;

/// <summary>A sweep over one numeric setting is drawn against that setting; any other run keeps the
/// labelled utility/privacy plane; a simulated run's plots say so.</summary>
public class SweepPlotTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"sweep-plots-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static ReportCell Cell(string method, string profile, double hr, double auc, int seed = 2023, string device = "cpu") =>
        new(new CellSpec("ml-100k", "ncf", method, profile, seed), new ReportValues(new Dictionary<string, double> { ["hr@10"] = hr },
            new Dictionary<string, ClassificationMetrics> { ["MLP"] = new(0.6, 0.6, 0.6, auc), ["Tree"] = new(0.6, 0.6, 0.6, auc - 0.02) }, 1, null, device));

    private static List<ReportCell> TradeOffSweep(string device = "cpu", int seeds = 1)
    {
        var cells = new List<ReportCell>();
        string[] values = ["1E-06", "1E-05", "0.0001", "0.01"];
        for (int s = 0; s < seeds; s++)
        {
            cells.Add(Cell("original", "paper", 0.7, 0.8, 2023 + s, device));
            cells.Add(Cell("retrain", "paper", 0.6, 0.55, 2023 + s, device));
            for (int i = 0; i < values.Length; i++)
                cells.Add(Cell("d2d", $"paper;unlearning.trade_off={values[i]}", 0.68 - 0.02 * i + 0.01 * s, 0.7 - 0.05 * i, 2023 + s, device));
        }
        return cells;
    }

    [Fact]
    public void ASweepOfOneNumericSettingIsFoundWithItsScale()
    {
        var sweep = SweepPlot.Of(TradeOffSweep().Select(c => c.Cell).ToList());
        Assert.NotNull(sweep);
        Assert.Equal("unlearning.trade_off", sweep.Key);
        Assert.Equal([1e-6, 1e-5, 1e-4, 1e-2], sweep.Values);
        Assert.True(sweep.LogAxis);
        // Original and Retrain do not use an unlearning setting: no value of theirs, a level.
        Assert.Null(sweep.ValueOf(new CellSpec("ml-100k", "ncf", "original", "paper")));
        Assert.Equal(1e-4, sweep.ValueOf(new CellSpec("ml-100k", "ncf", "d2d", "paper;unlearning.trade_off=0.0001")));

        CellSpec D2d(string profile) => new("ml-100k", "ncf", "d2d", profile);
        // A linear axis where a value is 0 or the range is narrow.
        Assert.False(SweepPlot.Of([D2d("paper;unlearning.trade_off=0"), D2d("paper;unlearning.trade_off=1")])!.LogAxis);
        Assert.False(SweepPlot.Of([D2d("paper;unlearning.trade_off=0.1"), D2d("paper;unlearning.trade_off=5")])!.LogAxis);
        // Not a one-key numeric sweep: two settings, a list, one profile, two base profiles.
        Assert.Null(SweepPlot.Of([D2d("paper;training.epochs=2;unlearning.trade_off=0.1"), D2d("paper;training.epochs=3;unlearning.trade_off=1")]));
        Assert.Null(SweepPlot.Of([D2d("paper;ncf.mlp_layers=64,32"), D2d("paper;ncf.mlp_layers=128,64")]));
        Assert.Null(SweepPlot.Of([D2d("paper"), new CellSpec("ml-100k", "ncf", "original", "paper")]));
        Assert.Null(SweepPlot.Of([D2d("tiny;unlearning.trade_off=0.1"), D2d("paper;unlearning.trade_off=1")]));
    }

    [Fact]
    public void ASweepIsDrawnAgainstItsSettingAndOtherRunsOnThePlane()
    {
        var md = ReportPlots.Write(_dir, new GridReport(TradeOffSweep(seeds: 2)), []);
        Assert.Contains("## Utility and privacy against unlearning.trade_off", md);
        Assert.DoesNotContain("pareto-", md);
        var file = Path.Combine(_dir, ReportPlots.Folder, "sweep-ml-100k-ncf.png");
        Assert.Contains("](plots/sweep-ml-100k-ncf.png)", md);
        // HR@10, then MLP's and Tree's leakage: three panels in a row.
        using (var bitmap = SKBitmap.Decode(file))
        {
            Assert.Equal((3 * 480, 40 + 400), (bitmap.Width, bitmap.Height));
            Assert.True(bitmap.Pixels.Count(p => p.Red == 0 && p.Green == 0 && p.Blue == 255) > 50, "D2D-R's blue line");
            Assert.True(bitmap.Pixels.Count(p => p.Red == 139 && p.Green == 0 && p.Blue == 139) > 20, "Original's dashed level");
        }
        Assert.DoesNotContain("SIMULATED", md);

        // Two methods under one profile: the labelled plane.
        var plane = ReportPlots.Write(_dir, new GridReport([Cell("original", "paper", 0.7, 0.8), Cell("d2d", "paper", 0.65, 0.6)]), []);
        Assert.Contains("](plots/pareto-ml-100k-ncf-seed2023.png)", plane);
        Assert.DoesNotContain("sweep-", plane);
    }

    [Fact]
    public void ASimulatedRunsPlotsSaySo()
    {
        var md = ReportPlots.Write(_dir, new GridReport(TradeOffSweep("simulated")), []);
        Assert.Contains($"> **{GridReport.SimulatedBanner}.**", md);
        // The plot's title (its alt text is the same string).
        Assert.Contains("![SIMULATED: NMF / ML-100K", md);
    }
}
