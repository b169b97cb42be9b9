using Unlearning.Grains;
using Unlearning.Plots;
using Unlearning.Storage;

namespace Unlearning.Client;

/// <summary>The plots of a grid's report, drawn from the finished cells' stored results.</summary>
public static class ReportPlotsAppendix
{
    public static RunReportWriter.Appendix Write(ReportPlots.CellPlots cellPlots = ReportPlots.CellPlots.All) => (dir, report, run) =>
        ReportPlots.Write(dir, report, run.Cells.Where(c => c.State == CellState.Done).Select(c => new PlottedCell(c.Cell.ToSpec(), Locate(c, dir))).ToList(), cellPlots);

    /// <summary>A cell's result.json as recorded in the run file (relative to the run's folder), or,
    /// where that is not there (a store mounted elsewhere), in the store of the OUT holding the run.</summary>
    internal static string? Locate(CellStatus cell, string runDirectory)
    {
        if (GridRun.ResultPathOf(cell, runDirectory) is not { } recorded) return null;
        if (File.Exists(recorded)) return recorded;
        var hash = Path.GetFileName(Path.GetDirectoryName(recorded)) ?? "";
        try
        {
            var here = new DirectoryArtifactStore(Path.Combine(runDirectory, "..", "..")).PathOf(hash, ArtifactNames.Result);
            return File.Exists(here) ? here : recorded;
        }
        catch (ArgumentException)
        {
            return recorded; // not a config hash: nothing to look up
        }
    }
}
