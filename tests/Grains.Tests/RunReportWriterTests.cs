namespace Unlearning.Grains.Tests;

public sealed class RunReportWriterTests
{
    /// <summary>A multi-class attack's leakage (its largest group deviation) travels with the cell's
    /// summary into the report; a binary one's is |AUC - 0.5|.</summary>
    [Fact]
    public void TheReportTakesTheLeakageOfAMultiClassAttackFromTheSummary()
    {
        CellStatus Done(string profile, double? leakage) => new(new CellKey("ml-100k", "ncf", "original", profile, 2023), CellState.Done,
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
        CellStatus Done(int seed, AttackSummary mlp) => new(new CellKey("ml-100k", "ncf", "original", "paper", seed), CellState.Done,
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
}
