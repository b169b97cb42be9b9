using SkiaSharp;
using Unlearning.Attack;
using Unlearning.Experiments;
using Unlearning.Plots;
using Unlearning.Reporting;

namespace Unlearning.Tests.Reporting;

/// <summary>The report's plots, drawn from real tiny cells: the files exist, are the images the
/// Markdown links, and hold what they claim (each method's colour on the Pareto plane, each group's
/// curve in the histograms).</summary>
public class ReportPlotsTests : IDisposable
{
    private readonly string _dir = Environment.GetEnvironmentVariable("KEEP_PLOTS") ?? Path.Combine(Path.GetTempPath(), $"plots-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("KEEP_PLOTS") is null && Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void ASweepsReportDrawsItsSweepCurvesAndHistograms()
    {
        var runner = new CellRunner(new EngineSettings { DataDir = _dir, OutDir = _dir, Device = "cpu" });
        var specs = new[]
        {
            new CellSpec("synthetic-small", "ncf", "original", "tiny", 3),
            new CellSpec("synthetic-small", "ncf", "d2d", "tiny", 3),
            new CellSpec("synthetic-small", "ncf", "d2d", "tiny;unlearning.trade_off=1", 3),
        };
        var results = specs.Select(s => runner.Run(s)).ToList();
        var report = new GridReport(results.Select(r => new ReportCell(r.Cell, ReportValues.From(r))).ToList());
        var cells = results.Select(r => new PlottedCell(r.Cell, r.ResultPath))
            .Append(new PlottedCell(new CellSpec("synthetic-small", "ncf", "u2u", "tiny", 3), Path.Combine(_dir, "elsewhere", "result.json"))).ToList();

        var md = ReportPlots.Write(_dir, report, cells, ReportPlots.CellPlots.All);

        var linked = System.Text.RegularExpressions.Regex.Matches(md, @"!\[[^\]]*\]\((plots/[^)]+\.png)\)").Select(m => m.Groups[1].Value).ToList();
        // One sweep figure (a sweep of trade_off alone); training curves of the original; unlearning curves of both d2d; three histograms.
        Assert.Equal(7, linked.Count);
        Assert.All(linked, l => Assert.True(File.Exists(Path.Combine(_dir, l)), l));
        Assert.Contains("Not drawn: 1 cell(s)", md);
        Assert.Contains("synthetic-small/ncf/u2u/tiny/seed3", md);

        // HR@10 and each attacker's leakage against trade_off: D2D-R's line, Original's level.
        var pareto = Path.Combine(_dir, linked.Single(l => l.Contains("sweep-")));
        Assert.Equal((3 * 480, 40 + 400), Size(pareto));
        Assert.True(Pixels(pareto, SKColors.Blue) > 20, "D2D-R's blue line");
        Assert.True(Pixels(pareto, SKColors.DarkMagenta) > 20, "Original's dashed level");

        var histogram = Path.Combine(_dir, linked.First(l => l.Contains("embedding")));
        int dim = NpyFile.Read(results[0].EmbeddingsPath).Cols;
        Assert.Equal((8 * 220, 40 + (dim + 7) / 8 * 160), Size(histogram));
        var palette = new ScottPlot.Palettes.Category10();
        foreach (int g in new[] { 0, 1 })
            Assert.True(Pixels(histogram, new SKColor(palette.GetColor(g).ARGB)) > 100, $"group {g}'s curves");

        var curves = Path.Combine(_dir, linked.Single(l => l.Contains("training")));
        Assert.Equal((2 * 420, 40 + 320), Size(curves));

        // Without cell plots (the default): the plane alone, a line saying how to get them, and no image of the earlier report left behind.
        var planeOnly = ReportPlots.Write(_dir, report, cells, runId: "mine");
        Assert.DoesNotContain("## Cells", planeOnly);
        Assert.Contains("`report mine --cell-plots all`", planeOnly);
        Assert.Equal([Path.GetFileName(pareto)], Directory.GetFiles(Path.Combine(_dir, ReportPlots.Folder)).Select(Path.GetFileName));
    }

    /// <summary>The difference the histogram panels are titled with: (mean of the positive group −
    /// mean of group 0) / pooled standard deviation.</summary>
    [Fact]
    public void PanelsAreTitledWithTheStandardisedDifferenceOfTheGroups()
    {
        var labels = UserLabels.FromValues(["M", "M", "M", "F", "F"]);
        Assert.Equal("F", labels.Values[labels.Positive]);
        // M: 1, 2, 3 (mean 2, var 1); F: 4, 6 (mean 5, var 2); pooled sd sqrt((2 x 1 + 1 x 2) / 3).
        Assert.Equal(3 / Math.Sqrt(4.0 / 3), EmbeddingHistograms.StandardisedDifference([1, 2, 3, 4, 6], labels), 12);
    }

    [Fact]
    public void LabelsNameTheirFileAndTheRowCount()
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "labels.txt");
        File.WriteAllText(path, "M\nM\nM\n");
        var e = Assert.Throws<Unlearning.Data.DataFormatException>(() => UserLabels.Read(path));
        Assert.Contains("labels.txt", e.Message);
        Assert.Contains("at least two groups", e.Message);
        File.WriteAllText(path, "M\nF\n\nM\n");
        var labels = UserLabels.Read(path);
        Assert.Equal([0, 1, 0], labels.Group);
        Assert.Contains($"x.npy has 5 rows but there are 3 labels in {path}", Assert.Throws<ArgumentException>(() => labels.RequireRows(5, "x.npy")).Message);
    }

    private static (int Width, int Height) Size(string png)
    {
        using var bitmap = SKBitmap.Decode(png);
        return (bitmap.Width, bitmap.Height);
    }

    private static int Pixels(string png, SKColor color)
    {
        using var bitmap = SKBitmap.Decode(png);
        return bitmap.Pixels.Count(p => p.Red == color.Red && p.Green == color.Green && p.Blue == color.Blue);
    }
}
