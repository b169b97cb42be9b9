using Unlearning.Experiments;
using Unlearning.Reporting;

namespace Unlearning.Grains;

/// <summary>Turns a run file into Tables 1-3 (report.md, report.csv, report.tex beside grid.json).</summary>
public static class RunReportWriter
{
    public static GridReport Build(GridRun run)
    {
        var cells = run.Cells.Select(c =>
        {
            var spec = new CellSpec(c.Cell.Dataset, c.Cell.Model, c.Cell.Method, c.Cell.Profile, c.Cell.Seed);
            if (c.State == CellState.Done && c.ResultPath is { } path && File.Exists(path))
                return new ReportCell(spec, CellResult.Load(path));
            return new ReportCell(spec, null, c.State == CellState.Failed ? c.Error ?? "failed" : null);
        }).ToList();
        return new GridReport(cells);
    }

    /// <returns>The path of report.md.</returns>
    public static string Write(string outDir, string runId)
    {
        var report = Build(GridRun.Load(outDir, runId));
        var dir = GridRun.Directory(outDir, runId);
        File.WriteAllText(Path.Combine(dir, "report.md"), report.Markdown());
        File.WriteAllText(Path.Combine(dir, "report.csv"), report.Csv());
        File.WriteAllText(Path.Combine(dir, "report.tex"), report.Latex());
        return Path.Combine(dir, "report.md");
    }

    /// <summary>The grid's own cost: executor-measured cell time minus the engine's wall time,
    /// summed over cells that ran (scheduling, messaging, persistence inside the cell's span).</summary>
    public static (double EngineSeconds, double CellSeconds, double OverheadFraction) Overhead(GridRun run)
    {
        double engine = 0, cell = 0;
        foreach (var c in run.Cells.Where(c => c.State == CellState.Done && !c.Reused && c.ResultPath is not null && c.CellSeconds is not null))
        {
            if (!File.Exists(c.ResultPath)) continue;
            engine += CellResult.Load(c.ResultPath!).Timing.WallSeconds;
            cell += c.CellSeconds!.Value;
        }
        return (engine, cell, engine > 0 ? (cell - engine) / engine : 0);
    }
}
