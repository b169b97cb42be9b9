using Unlearning.Experiments;
using Unlearning.Attack;
using Unlearning.Reporting;

namespace Unlearning.Grains;

/// <summary>Turns a run into Tables 1-3 (report.md, report.csv, report.tex beside grid.json);
/// report.md ends with the grid's timing.</summary>
public static class RunReportWriter
{
    public static GridReport Build(GridRun run)
    {
        var cells = run.Cells.Select(c =>
        {
            var spec = c.Cell;
            if (c.State == CellState.Done && c.Result is { } summary)
                return new ReportCell(spec, Values(summary));
            return new ReportCell(spec, null, c.State == CellState.Failed ? c.Error ?? "failed" : null);
        }).ToList();
        return new GridReport(cells);
    }

    private static ReportValues Values(CellSummary s) => new(s.Recommendation,
        s.Attacks.ToDictionary(a => a.Key, a => Metrics(a.Value)), s.MethodSeconds,
        // Run files written before the flag was carried: judged by their metrics.
        s.Attacks.Select(a => (a.Key, Note: a.Value.Degenerate ?? DegenerateAttacker.Note(null, 0, Metrics(a.Value))))
            .Where(a => a.Note is not null).ToDictionary(a => a.Key, a => a.Note!), s.Device, s.RecommendationByGroup,
        s.Strongest is { } strongest ? new StrongestAttack(strongest.Leakage, strongest.Attacker, strongest.View, strongest.Threat) : null);

    private static ClassificationMetrics Metrics(AttackSummary a)
    {
        var metrics = new ClassificationMetrics(a.Accuracy, a.Precision, a.Recall, a.Auc);
        return a.Leakage is { } leakage ? metrics with { Leakage = leakage } : metrics;
    }

    /// <summary>Writes the tables of a stored run file.</summary>
    /// <returns>The path of report.md.</returns>
    public static string Write(string outDir, string runId, Appendix? appendix = null) => Write(outDir, GridRun.Load(outDir, runId), appendix);

    /// <summary>More of report.md, written by the caller into the report's folder (the plots): given
    /// that folder, the tables and the run, it returns its Markdown.</summary>
    public delegate string Appendix(string reportDir, GridReport report, GridRun run);

    /// <summary>Writes the tables of a run (as received from the grid) under OUT/runs/&lt;run&gt;.</summary>
    /// <returns>The path of report.md.</returns>
    public static string Write(string outDir, GridRun run, Appendix? appendix = null)
    {
        var report = Build(run);
        var dir = GridRun.Directory(outDir, run.RunId);
        Directory.CreateDirectory(dir);
        var timeline = GridTimeline.From(new GridStatus(run.RunId, run.Cells, run.StartedAt, run.FinishedAt));
        var markdown = report.Markdown() + timeline.Markdown();
        File.WriteAllText(Path.Combine(dir, "report.md"), markdown);
        if (appendix is not null)
        {
            // The tables are written first: a failure of what follows never costs them.
            string more;
            try { more = appendix(dir, report, run); }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                more = $"\n# Plots\n\nNot drawn: {e.GetType().Name}: {GridReport.MarkdownCell(e.Message)}\n";
            }
            File.WriteAllText(Path.Combine(dir, "report.md"), markdown + more);
        }
        File.WriteAllText(Path.Combine(dir, "report.csv"), report.Csv());
        File.WriteAllText(Path.Combine(dir, "report.tex"), report.Latex());
        return Path.Combine(dir, "report.md");
    }
}
