using Unlearning.Experiments;
namespace Unlearning.Grains.Tests;

public sealed class RunReportWriterTests
{
    /// <summary>A multi-class attack's leakage (its largest group deviation) travels with the cell's
    /// summary into the report; a binary one's is |AUC - 0.5|.</summary>
    [Fact]
    public void TheReportTakesTheLeakageOfAMultiClassAttackFromTheSummary()
    {
        CellStatus Done(string profile, double? leakage) => new(new CellSpec("ml-100k", "ncf", "original", profile, 2023), CellState.Done,
            Result: new CellSummary(new() { ["hr@10"] = 0.5 },
                new() { ["MLP"] = new AttackSummary(0.4, 0.4, 0.4, 0.55, leakage), ["Tree"] = new AttackSummary(0.4, 0.4, 0.4, 0.52, leakage) }, 1, 1, "cpu"));
        var status = new GridStatus("report", [Done("paper;data.attribute_column=age", 0.3), Done("paper", null)], DateTimeOffset.Now, DateTimeOffset.Now);
        var report = RunReportWriter.Build(GridRun.From(status));
        var points = report.UtilityAndPrivacy();
        Assert.Equal([0.3, 0.3], points.Single(p => p.Cell.Profile != "paper").Leakage);
        Assert.Equal([0.05, 0.02], points.Single(p => p.Cell.Profile == "paper").Leakage.Select(l => Math.Round(l, 12)));
        var markdown = report.Markdown();
        Assert.Contains("Where the attribute has more than two values, the attackers are multi-class", markdown);
        // Table 3 then shows each attacker's leakage: 0.3 for the age cell, 0.05 / 0.02 for gender's.
        Assert.Contains("| MLP leakage |", markdown);
        Assert.Contains("| NMF | ML-100K [data.attribute_column=age] | Original | 0.4000 | 0.4000 | 0.4000 | 0.5500 | 0.3000 | 0.4000 | 0.4000 | 0.4000 | 0.5200 | 0.3000 |", markdown);
        Assert.Contains("| 0.5500 / 0.7307 (-0.1807) | 0.0500 |", markdown);
    }

    /// <summary>A degenerate attacker's flag travels with the cell's summary into the grid's report;
    /// a run file written before it was carried is judged by its metrics.</summary>
    [Fact]
    public void ADegenerateAttackerIsFlaggedFromTheSummary()
    {
        CellStatus Done(int seed, AttackSummary mlp) => new(new CellSpec("ml-100k", "ncf", "original", "paper", seed), CellState.Done,
            Result: new CellSummary(new() { ["hr@10"] = 0.5 }, new() { ["MLP"] = mlp, ["Tree"] = new AttackSummary(0.6, 0.6, 0.6, 0.62) }, 1, 1, "cpu"));
        var status = new GridStatus("degenerate", [
            Done(1, new AttackSummary(0.5, 0.5, 1, 0.6, Degenerate: "predicted one class for every user in 15 of 15 folds")),
            Done(2, new AttackSummary(0.5, 0.5, 1, 0.6)),
            Done(3, new AttackSummary(0.61, 0.6, 0.62, 0.66)),
        ], DateTimeOffset.Now, DateTimeOffset.Now);
        var markdown = RunReportWriter.Build(GridRun.From(status)).Markdown();
        Assert.Contains("* MLP on NMF / ML-100K / Original (seed 1): predicted one class for every user in 15 of 15 folds", markdown);
        Assert.Contains("* MLP on NMF / ML-100K / Original (seed 2): predicted one class for every user (accuracy 0.5, recall 1)", markdown);
        Assert.DoesNotContain("(seed 3):", markdown);
    }

    private static CellStatus Finished(string method, string profile, string device, int seed = 2023) =>
        new(new CellSpec("ml-100k", "ncf", method, profile, seed), CellState.Done, ResultPath: "/nowhere/result.json",
            Result: new CellSummary(new() { ["hr@10"] = 0.5 }, new() { ["MLP"] = new AttackSummary(0.6, 0.6, 0.6, 0.6), ["Tree"] = new AttackSummary(0.6, 0.6, 0.6, 0.58) }, 1, 1, device));

    /// <summary>A run of the benchmark's simulated engine says so at the top of report.md, in each LaTeX
    /// table and at the top of report.csv; a real run says nothing of it.</summary>
    [Fact]
    public void ASimulatedRunsReportSaysSoInEachFile()
    {
        using var temp = new Unlearning.Tests.Shared.TempFolder("simulated-");
        var simulated = new GridStatus("simulated", [Finished("original", "paper", "simulated"), Finished("d2d", "paper", "simulated")], DateTimeOffset.Now, DateTimeOffset.Now);
        var md = File.ReadAllText(RunReportWriter.Write(temp.Path, GridRun.From(simulated), Unlearning.Client.ReportPlotsAppendix.Write()));
        var dir = Path.Combine(temp.Path, "runs", "simulated");
        Assert.StartsWith($"> **{Unlearning.Reporting.GridReport.SimulatedBanner}.**", md);
        Assert.Contains("SIMULATED engine: these numbers are made up by the benchmark engine, not results", md);
        Assert.StartsWith("# SIMULATED engine", File.ReadAllText(Path.Combine(dir, "report.csv")));
        Assert.Equal("table,model,dataset,method,metric,ours,paper,difference,status,n,sd,half_width,paper_outside,note", File.ReadAllLines(Path.Combine(dir, "report.csv"))[1]);
        var tex = File.ReadAllText(Path.Combine(dir, "report.tex"));
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(tex, @"% SIMULATED engine[^\n]*\n\\begin\{table\}").Count);
        // The plots' titles.
        Assert.Contains("![SIMULATED: NMF / ML-100K", md);

        var real = new GridStatus("real", [Finished("original", "paper", "cpu"), Finished("d2d", "paper", "cuda:0")], DateTimeOffset.Now, DateTimeOffset.Now);
        var realMd = File.ReadAllText(RunReportWriter.Write(temp.Path, GridRun.From(real), Unlearning.Client.ReportPlotsAppendix.Write()));
        Assert.DoesNotContain("SIMULATED", realMd);
        Assert.DoesNotContain("SIMULATED", File.ReadAllText(Path.Combine(temp.Path, "runs", "real", "report.csv")));
        Assert.DoesNotContain("SIMULATED", File.ReadAllText(Path.Combine(temp.Path, "runs", "real", "report.tex")));
    }

    /// <summary>The grid's report (the appendix with no argument) draws no cell's own plots and says how
    /// to get them; asked for them, it tries every cell.</summary>
    [Fact]
    public void TheGridsReportDrawsNoCellPlotsUnlessAsked()
    {
        using var temp = new Unlearning.Tests.Shared.TempFolder("cell-plots-");
        var status = new GridStatus("mine", [Finished("original", "paper", "cpu"), Finished("d2d", "paper", "cpu")], DateTimeOffset.Now, DateTimeOffset.Now);
        var md = File.ReadAllText(RunReportWriter.Write(temp.Path, GridRun.From(status), Unlearning.Client.ReportPlotsAppendix.Write()));
        Assert.Contains("`report mine --cell-plots all`", md);
        Assert.DoesNotContain("## Cells", md);
        Assert.DoesNotContain("Not drawn", md);
        // Asked for: each cell is tried (their results are nowhere here, so each is named instead).
        var all = File.ReadAllText(RunReportWriter.Write(temp.Path, GridRun.From(status), Unlearning.Client.ReportPlotsAppendix.Write(Unlearning.Plots.ReportPlots.CellPlots.All)));
        Assert.Contains("Not drawn: 2 cell(s)", all);
        Assert.DoesNotContain("--cell-plots all` (or", all);
    }

    /// <summary><c>report</c> draws no cell's own plots unless asked (<c>--cell-plots all|first-seed</c>).</summary>
    [Fact]
    public void TheReportCommandDrawsNoCellPlotsByDefault()
    {
        var command = Unlearning.Client.ReportCommand.Create();
        Assert.Equal("none", command.Parse(["mine"]).GetValue<string>("--cell-plots"));
        Assert.Equal("all", command.Parse(["mine", "--cell-plots", "all"]).GetValue<string>("--cell-plots"));
    }
}
