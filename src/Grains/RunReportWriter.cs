using Unlearning.Attack;
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
            if (c.State == CellState.Done && c.Result is { } summary)
                return new ReportCell(spec, Values(summary));
            return new ReportCell(spec, null, c.State == CellState.Failed ? c.Error ?? "failed" : null);
        }).ToList();
        return new GridReport(cells);
    }

    private static ReportValues Values(CellSummary s) => new(s.Recommendation,
        s.Attacks.ToDictionary(a => a.Key, a => new ClassificationMetrics(a.Value[0], a.Value[1], a.Value[2], a.Value[3])), s.MethodSeconds);

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
        foreach (var c in run.Cells.Where(c => c.State == CellState.Done && !c.Reused && c.Result is not null && c.CellSeconds is not null))
        {
            engine += c.Result!.WallSeconds;
            cell += c.CellSeconds!.Value;
        }
        return (engine, cell, engine > 0 ? (cell - engine) / engine : 0);
    }
}
