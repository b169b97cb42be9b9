using Unlearning.Attack;
using Unlearning.Experiments;
using Unlearning.Reporting;

namespace Unlearning.Grains;

/// <summary>Turns a run file into Tables 1-3 (report.md, report.csv, report.tex beside grid.json);
/// report.md ends with the grid's timing.</summary>
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
        s.Attacks.ToDictionary(a => a.Key, a => new ClassificationMetrics(a.Value.Accuracy, a.Value.Precision, a.Value.Recall, a.Value.Auc)), s.MethodSeconds);

    /// <returns>The path of report.md.</returns>
    public static string Write(string outDir, string runId)
    {
        var run = GridRun.Load(outDir, runId);
        var report = Build(run);
        var dir = GridRun.Directory(outDir, runId);
        var timeline = GridTimeline.From(new GridStatus(run.RunId, run.Cells, run.StartedAt, run.FinishedAt));
        File.WriteAllText(Path.Combine(dir, "report.md"), report.Markdown() + timeline.Markdown());
        File.WriteAllText(Path.Combine(dir, "report.csv"), report.Csv());
        File.WriteAllText(Path.Combine(dir, "report.tex"), report.Latex());
        return Path.Combine(dir, "report.md");
    }
}
