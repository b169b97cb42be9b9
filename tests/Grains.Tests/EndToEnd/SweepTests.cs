using Unlearning.Tests.Shared;

namespace Unlearning.Grains.Tests.EndToEnd;

/// <summary><c>grid --sweep</c>: one cell per value, one original for all of them, and a report that
/// names each row's setting and places the cells on the utility/privacy plane.</summary>
[Trait("Category", "EndToEnd")]
public sealed class SweepTests
{
    [Fact]
    public void ASweepRunsOneCellPerValueFromOneOriginal()
    {
        using var temp = new TempFolder("sweep-");
        var dir = temp.Path;
        using var client = ChildProcess.StartBuilt("src/Client", "unlearn.dll", ["grid", "synthetic-small", "--profile", "tiny", "--models", "ncf",
            "--methods", "d2d", "--sweep", "unlearning.trade_off=0,1", "--set", "training.epochs=1", "--run", "sweep", "--data", dir, "--out", dir]);
        Assert.True(client.WaitForExit(TimeSpan.FromMinutes(8)), $"the grid did not finish within 8 minutes\n{client.Printed}");
        Assert.True(client.ExitCode == 0, $"exit code {client.ExitCode}\n{client.Printed}");
        var report = File.ReadAllText(Path.Combine(dir, "runs", "sweep", "report.md"));
        Assert.Contains("| NMF | synthetic-small [training.epochs=1] | Original |", report);
        Assert.Contains("| NMF | synthetic-small [training.epochs=1;unlearning.trade_off=0] | D2D-R |", report);
        Assert.Contains("| NMF | synthetic-small [training.epochs=1;unlearning.trade_off=1] | D2D-R |", report);
        Assert.Contains("* `tiny;training.epochs=1;unlearning.trade_off=1`: ", report);
        Assert.Contains("unlearning.trade_off=1 (paper 1E-06)", report);
        Assert.Contains("## Utility and privacy", report);
        Assert.Matches(@"\| NMF \| synthetic-small \| D2D-R \| training.epochs=1;unlearning.trade_off=0 \| [0-9.]+ \| [0-9.]+( \*)? \| [0-9.]+( \*)? \|", report);
        // One original, trained once, for both values.
        var results = Directory.GetFiles(Path.Combine(dir, "cells"), "result.json", SearchOption.AllDirectories);
        Assert.Equal(3, results.Length);

        // The plots beside the report, linked from it: a sweep of one numeric setting is drawn against
        // it; the cells' own curves and histograms only where asked.
        Assert.Contains("# Plots", report);
        Assert.Contains("](plots/sweep-synthetic-small-ncf-seed2023.png)", report);
        Assert.True(File.Exists(Path.Combine(dir, "runs", "sweep", "plots", "sweep-synthetic-small-ncf-seed2023.png")));
        Assert.Empty(Directory.GetFiles(Path.Combine(dir, "runs", "sweep", "plots"), "*-embedding.png"));
        Assert.Contains("`report sweep --cell-plots all`", report);

        // Not a terminal: plain lines naming each cell's settings, no escape codes, on standard
        // error; standard output is the report's path alone.
        Assert.Contains("[epochs=1 trade_off=1] Done", client.Errors);
        Assert.DoesNotContain('\u001b', client.Errors);
        Assert.Equal($"report: {Path.Combine(dir, "runs", "sweep", "report.md")}", client.Output.Trim());

        // On a terminal (script(1) gives it one): the live table, its columns and the overall progress.
        var typescript = Path.Combine(dir, "typescript");
        var command = string.Join(' ', new[] { "stty cols 160;", "dotnet", ChildProcess.Built("src/Client", "unlearn.dll"), "grid", "synthetic-small", "--profile", "tiny",
            "--models", "ncf", "--methods", "d2d", "--sweep", "unlearning.trade_off=0,1", "--set", "training.epochs=1", "--run", "live", "--data", dir, "--out", dir }.Select(a => a.EndsWith(';') ? a : $"'{a}'"));
        using var live = ChildProcess.Start("script", ["-qfec", command, typescript], new Dictionary<string, string> { ["TERM"] = "xterm-256color" });
        Assert.True(live.WaitForExit(TimeSpan.FromMinutes(4)), $"the grid on a terminal did not finish within 4 minutes\n{live.Printed}");
        Assert.True(live.ExitCode == 0, $"exit code {live.ExitCode}\n{live.Printed}\n{File.ReadAllText(typescript)}");
        var screen = File.ReadAllText(typescript);
        Assert.Contains('\u001b', screen);
        var text = System.Text.RegularExpressions.Regex.Replace(screen, @"\u001b\[[0-9;?]*[A-Za-z]", "");
        Assert.Matches(@"dataset +model +method +settings +state +silo +progress +ETA +detail", text);
        Assert.Matches(@"synthetic-small +ncf +d2d +epochs=1 trade_off=1 +Done +embedded", text);
        Assert.Contains("100 %  3 done, 0 failed, 0 running, 0 waiting", text);
    }
}
