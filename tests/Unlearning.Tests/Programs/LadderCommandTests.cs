using System.Text.Json.Nodes;
using SkiaSharp;
using Unlearning.Data;
using Unlearning.Experiments;
using Unlearning.Tests.Shared;

namespace Unlearning.Tests.Programs;

/// <summary>The attack ladder from the command line: <c>report --leakage strongest</c> draws the cells
/// at their strongest leakage where they climbed the ladder and refuses a run whose cells did not (or a
/// value it does not know), before writing anything; <c>attack --cell DIR --ladder</c> climbs a stored
/// cell's ladder to the rungs its cell stored.</summary>
[Trait("Category", "EndToEnd")]
public sealed class LadderCommandTests : IDisposable
{
    private readonly TempFolder _temp = new("ladder-cli-");

    public void Dispose() => _temp.Dispose();

    private static ChildProcess Client(params string[] args) => ChildProcess.RunClient(TimeSpan.FromMinutes(4), args);

    /// <summary>The stored run of a sweep (docs/figures: ML-100K, D2D-R over trade_off, Original and
    /// Retrain), as run <paramref name="runId"/> under OUT; each finished cell given a strongest rung
    /// (leakage 0.3) where <paramref name="climbed"/>.</summary>
    private string Run(string runId, bool climbed)
    {
        var run = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.RepoRoot!, "docs", "figures", "d2d-sweep-ml100k-20261203", "grid.json")))!;
        run["RunId"] = runId;
        if (climbed)
            foreach (var cell in run["Cells"]!.AsArray())
                cell!["Result"]!["Strongest"] = new JsonObject { ["Leakage"] = 0.3, ["Attacker"] = "kNN", ["View"] = "full", ["Threat"] = "stale" };
        _temp.Write(Path.Combine("out", "runs", runId, "grid.json"), run.ToJsonString());
        return _temp.Sub("out");
    }

    private static (int Width, int Height) Size(string png)
    {
        using var codec = SKCodec.Create(png);
        return (codec.Info.Width, codec.Info.Height);
    }

    [Fact]
    public void TheStrongestLeakageIsDrawnWhereCellsClimbedTheLadderAndRefusedWhereNot()
    {
        var plain = Run("plain", climbed: false);
        using var refused = Client("report", "plain", "--out", plain, "--leakage", "strongest");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--leakage strongest: no finished cell of run plain climbed the attack ladder", refused.Errors);
        Assert.False(File.Exists(Path.Combine(plain, "runs", "plain", "report.md")), "nothing is written before the refusal");
        using var unknown = Client("report", "plain", "--out", plain, "--leakage", "best");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--leakage must be attackers or strongest, got 'best'", unknown.Errors);

        // The default: a panel of HR@10 and one per attacker against the swept trade-off.
        using var byAttacker = Client("report", "plain", "--out", plain);
        Assert.True(byAttacker.ExitCode == 0, byAttacker.Printed);
        Assert.DoesNotContain("strongest", byAttacker.Output);
        var sweep = Directory.GetFiles(Path.Combine(plain, "runs", "plain", "plots"), "sweep-*.png");
        Assert.Equal(2, sweep.Length); // NMF's and LightGCN's
        Assert.All(sweep, png => Assert.Equal((3 * 480, 40 + 400), Size(png)));

        var climbed = Run("climbed", climbed: true);
        using var strongest = Client("report", "climbed", "--out", climbed, "--leakage", "strongest");
        Assert.True(strongest.ExitCode == 0, strongest.Printed);
        Assert.Contains("| strongest |", strongest.Output);
        Assert.Contains("| 0.3000 ± 0.0000 (kNN, full, stale) |", strongest.Output); // three seeds, the same rung in each
        // HR@10 and the strongest leakage: two panels.
        sweep = Directory.GetFiles(Path.Combine(climbed, "runs", "climbed", "plots"), "sweep-*.png");
        Assert.Equal(2, sweep.Length);
        Assert.All(sweep, png => Assert.Equal((2 * 480, 40 + 400), Size(png)));
    }

    [Fact]
    public void AStoredCellsLadderIsClimbedAgainToTheSameRungs()
    {
        var runner = new CellRunner(new EngineSettings { DataDir = _temp.Path, OutDir = _temp.Path, Device = "cpu" });
        var d2d = runner.Run(new CellSpec("synthetic-small", "ncf", "d2d", "tiny;attack.ladder=true", 8));
        using var attack = Client("attack", "--cell", Path.GetDirectoryName(d2d.ResultPath)!, "--ladder");
        Assert.True(attack.ExitCode == 0, attack.Printed);
        var rows = attack.Output.Split('\n').Where(l => l.StartsWith("| attacked", StringComparison.Ordinal) || l.StartsWith("| full", StringComparison.Ordinal)).ToList();
        Assert.Equal(24, rows.Count);
        var strongest = d2d.Ladder!.Strongest!;
        Assert.Contains($"Strongest: leakage {strongest.Leakage:F4} (AUC {strongest.Report.Mean.Auc:F4}) by {strongest.Name}.", attack.Output);
        foreach (var (entry, row) in d2d.Ladder.Entries.Zip(rows))
            Assert.StartsWith($"| {entry.View} | {entry.Attacker} | {entry.Threat} | {entry.Report.Folds} | {entry.Report.Mean.Accuracy:F4} | {entry.Report.Mean.Auc:F4} ±", row);

        // Its Original: no stale rung, said; the ladder takes no threat of its own.
        using var original = Client("attack", "--cell", Path.GetDirectoryName(runner.Run(d2d.Cell.OriginalCell, reuseFinished: true).ResultPath)!, "--ladder", "--attackers", "logistic");
        Assert.True(original.ExitCode == 0, original.Printed);
        Assert.Contains("* no stale rung: on the Original a stale attacker is the paper one", original.Output);
        Assert.DoesNotContain("| stale |", original.Output);
        using var threat = Client("attack", "--cell", d2d.ResultPath, "--ladder", "--threat", "paper");
        Assert.Equal(2, threat.ExitCode);
        Assert.Contains("--ladder climbs every threat model: leave out --threat", threat.Errors);
    }
}
