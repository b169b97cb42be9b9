using Unlearning.Experiments;
using Unlearning.Grains;
using Unlearning.Plots;
using Unlearning.Reporting;

namespace Unlearning.Client;

/// <summary>The plots of a grid's report, drawn from the finished cells' stored results: by default
/// the utility/privacy plots alone (a cell's own curves and histograms are three images per cell, which
/// a 10,000-cell sweep does not want; <c>report &lt;run&gt; --cell-plots all</c> draws them).</summary>
public static class ReportPlotsAppendix
{
    public static RunReportWriter.Appendix Write(ReportPlots.CellPlots cellPlots = ReportPlots.CellPlots.None, LeakageAxis leakage = LeakageAxis.Attackers) => (dir, report, run) =>
        ReportPlots.Write(dir, report, run.Cells.Where(c => c.State == CellState.Done).Select(c => new PlottedCell(c.Cell, GridRun.ResultPathOf(c, dir))).ToList(),
            cellPlots, run.RunId, leakage);
}
