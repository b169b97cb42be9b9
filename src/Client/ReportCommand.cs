using System.CommandLine;
using Unlearning.Grains;
using Unlearning.Plots;
using Unlearning.Reporting;

namespace Unlearning.Client;

/// <summary><c>report &lt;run&gt;</c>: Tables 1-3 of a run in Markdown, CSV and LaTeX, from the
/// cluster's grid state (--cluster / UNLEARN_CLUSTER) or from the run file under --out; prints
/// report.md (the result it was asked for) on standard output.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run id (on the cluster, or a folder under OUT/runs)" };
        var cluster = new Option<string?>("--cluster") { Description = "Read the run from this cluster (redis://host:port or unix:/path); default UNLEARN_CLUSTER, else the local run file" };
        var output = CommonOptions.Out("Folder holding the run file OUT/runs/<run>/grid.json (the grid's --out); the report is written beside it");
        var logLevel = CommandLogging.Option();
        var cellPlots = new Option<string>("--cell-plots") { Description = "Training curves and embedding histograms for every cell (all), the first seed's (first-seed) or none (the default: the utility/privacy plots alone)", DefaultValueFactory = _ => "none" };
        cellPlots.AcceptOnlyFromAmong("all", "first-seed", "none");
        var leakage = new Option<string>("--leakage")
        {
            Description = "The leakage of the utility/privacy plot: each attacker's, a panel each (attackers, the default), or the strongest of the cells' " +
                          "attack ladders, one panel (strongest; the cells must have run with --set attack.ladder=true)",
            DefaultValueFactory = _ => LeakageAxes.Names[0],
        };
        var command = new Command("report", "Write Tables 1-3 of a run (report.md, report.csv, report.tex) next to the published values, and its plots") { run, cluster, output, cellPlots, leakage, logLevel };
        command.SetAction(async (parse, ct) =>
        {
            if (!CommandOutcome.TryInputs(() => CommandLogging.Use(parse.GetValue(logLevel)), out _) ||
                !CommandOutcome.TryInputs(() => OutputFolder.RequireWritable(parse.GetValue(output)!, "--out"), out var outDir) ||
                !CommandOutcome.TryInputs(() => LeakageAxes.Parse(parse.GetValue(leakage)!), out var axis))
                return ExitCodes.Usage;
            var runId = parse.GetValue(run)!;
            var plots = ReportPlotsAppendix.Write(parse.GetValue(cellPlots) switch
            {
                "first-seed" => ReportPlots.CellPlots.FirstSeed, "all" => ReportPlots.CellPlots.All, _ => ReportPlots.CellPlots.None,
            }, axis);
            if (GridConnection.ClusterAddress(parse.GetValue(cluster)) is { } address)
            {
                return await GridCommand.OnCluster(address, runId, async grid =>
                {
                    var saved = GridRun.Save(outDir, await grid.GetStatus());
                    return CommandOutcome.TryInputs(() => RequireLeakage(axis, saved), out _) ? Print(RunReportWriter.Write(outDir, saved, plots)) : ExitCodes.Usage;
                }, ct);
            }
            try
            {
                var stored = GridRun.Load(outDir, runId);
                RequireLeakage(axis, stored);
                return Print(RunReportWriter.Write(outDir, stored, plots));
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException or ArgumentException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Usage;
            }
        });
        return command;
    }

    /// <summary>The strongest leakage is drawn only where some cell of the run climbed the attack ladder.</summary>
    private static GridRun RequireLeakage(LeakageAxis axis, GridRun run)
    {
        if (axis == LeakageAxis.Strongest && !RunReportWriter.Build(run).Ladder)
            throw new ArgumentException($"--leakage strongest: no finished cell of run {run.RunId} climbed the attack ladder, so there is no strongest leakage to draw; " +
                                        "run its cells with --set attack.ladder=true, or leave out --leakage");
        return run;
    }

    private static int Print(string path)
    {
        Console.WriteLine(File.ReadAllText(path));
        Console.Error.WriteLine($"written: {path} (+ .csv, .tex)");
        return 0;
    }
}
