using Unlearning.Grains;
using Unlearning.Plots;

namespace Unlearning.Client;

/// <summary>The plots of a grid's report, drawn from the finished cells' stored results.</summary>
public static class ReportPlotsAppendix
{
    public static RunReportWriter.Appendix Write(ReportPlots.CellPlots cellPlots = ReportPlots.CellPlots.All) => (dir, report, run) =>
        ReportPlots.Write(dir, report, run.Cells.Where(c => c.State == CellState.Done).Select(c => new PlottedCell(c.Cell.ToSpec(), GridRun.ResultPathOf(c, dir))).ToList(), cellPlots);
}
