using System.Text;
using System.Text.RegularExpressions;
using Unlearning.Attack;
using Unlearning.Experiments;
using Unlearning.Reporting;

namespace Unlearning.Plots;

/// <summary>
/// The plots of a report, written under DIR/plots beside report.md: the utility/privacy plane of
/// each model and dataset of a sweep or of several methods (or, for a sweep over one numeric setting,
/// utility and leakage against that setting), and, where asked, per cell its training or unlearning
/// curves and the histograms of its user embedding by attribute. Returns the Markdown section that
/// shows them. A cell whose stored files cannot be read here (a cluster's store this machine does not
/// mount) is named in the section instead of drawn; one bad cell never stops the others. The titles of
/// a simulated run's plots say so.
/// </summary>
public static partial class ReportPlots
{
    public const string Folder = "plots";

    /// <summary>Which cells get curves and histograms of their own (three images each: a 10,000-cell
    /// sweep asks for none, the default).</summary>
    public enum CellPlots { All, FirstSeed, None }

    /// <param name="runId">The run, named in the line that says how to draw the cells' plots.</param>
    /// <param name="leakage">The leakage of the utility/privacy plots: each attacker's (a panel each) or the strongest of the cells' attack ladders.</param>
    public static string Write(string reportDir, GridReport report, IReadOnlyList<PlottedCell> cells, CellPlots cellPlots = CellPlots.None, string? runId = null,
        LeakageAxis leakage = LeakageAxis.Attackers)
    {
        var md = new StringBuilder("\n# Plots\n\n");
        var plots = Path.Combine(reportDir, Folder);
        Directory.CreateDirectory(plots);
        // The folder is the report's own: plots of an earlier report of the run are not left behind.
        foreach (var old in Directory.GetFiles(plots, "*.png")) File.Delete(old);
        string simulated = report.Simulated ? "SIMULATED: " : "";
        if (report.Simulated)
        {
            md.AppendLine($"> **{GridReport.SimulatedBanner}.**");
            md.AppendLine();
        }

        var points = report.UtilityAndPrivacy(leakage);
        var leakages = report.LeakageLabels(leakage);
        // A sweep over one numeric setting is drawn against it; otherwise, with several settings or methods, the utility/privacy plane.
        var sweep = SweepPlot.Of(points.Select(p => p.Cell).ToList());
        if (sweep is not null || points.Select(p => p.Cell.Profile).Distinct().Count() > 1 || points.Select(p => p.Cell.Method).Distinct().Count() > 1)
        {
            md.AppendLine(sweep is not null ? $"## Utility and privacy against {sweep.Key}" : "## Utility and privacy");
            md.AppendLine();
            // Across seeds the points are seed means (their cells' seed is 0); otherwise one plot per seed.
            foreach (var group in points.GroupBy(p => (p.Cell.Dataset, p.Cell.Model, p.Cell.Seed)))
            {
                string title = simulated + GroupTitle(report, cells, group.Key, group.Max(p => p.Seeds));
                var name = Slug($"{group.Key.Dataset}-{group.Key.Model}" + (report.AcrossSeeds ? "" : $"-seed{group.Key.Seed}"));
                md.AppendLine(sweep is not null
                    ? Draw(plots, $"sweep-{name}.png", title, path => SweepPlot.Save(path, group.ToList(), leakages, sweep, title))
                    : Draw(plots, $"pareto-{name}.png", title, path => ParetoPlot.Save(path, group.ToList(), leakages, title)));
            }
        }

        int firstSeed = cells.Count == 0 ? 0 : cells.Min(c => c.Cell.Seed);
        var drawn = cellPlots switch
        {
            CellPlots.None => [],
            CellPlots.FirstSeed => cells.Where(c => c.Cell.Seed == firstSeed).ToList(),
            _ => cells,
        };
        if (drawn.Count == 0)
        {
            if (cells.Count > 0)
                md.AppendLine($"Per-cell training curves and embedding histograms are not drawn; `report {runId ?? "<run>"} --cell-plots all` (or `first-seed`) draws them.\n");
            return md.ToString();
        }
        md.AppendLine("## Cells: curves and user-embedding histograms by attribute");
        md.AppendLine();
        if (drawn.Count < cells.Count)
        {
            md.AppendLine($"Seed {firstSeed} only ({drawn.Count} of {cells.Count} cells); `report <run> --cell-plots all` draws every seed.");
            md.AppendLine();
        }
        var unreachable = new List<string>();
        foreach (var cell in drawn)
        {
            CellResult result;
            try
            {
                if (cell.ResultPath is null || !File.Exists(cell.ResultPath)) throw new FileNotFoundException($"{cell.ResultPath ?? "no result path"}");
                result = CellResult.LoadBeside(cell.ResultPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Text.Json.JsonException)
            {
                unreachable.Add($"{cell.Cell.Id} ({e.Message})");
                continue;
            }
            string title = simulated + Title(cell.Cell);
            string slug = Slug(cell.Cell.Id);
            md.AppendLine($"### {title}");
            md.AppendLine();
            if (result.Epochs.Count > 0)
                md.AppendLine(Draw(plots, $"{slug}-training.png", $"{title}: training curves", p => Curves.SaveTraining(p, result.Epochs, result.BestEpoch, title)));
            if (result.UnlearningCheckpoints.Count > 0)
                md.AppendLine(Draw(plots, $"{slug}-unlearning.png", $"{title}: unlearning curves", p => Curves.SaveUnlearning(p, result.UnlearningCheckpoints, title)));
            md.AppendLine(Draw(plots, $"{slug}-embedding.png", $"{title}: embedding histograms", p => Histograms(p, result, title)));
        }
        if (unreachable.Count > 0)
        {
            md.AppendLine($"Not drawn: {unreachable.Count} cell(s) whose result files cannot be read here; run `report` where the artifact store is mounted:");
            md.AppendLine();
            foreach (var line in unreachable) md.AppendLine($"* {GridReport.MarkdownCell(line)}");
            md.AppendLine();
        }
        return md.ToString();
    }

    private static void Histograms(string path, CellResult result, string title)
    {
        if (result.UserGroupsPath is null)
            throw new InvalidDataException("its result was stored before the engine kept the users' attributes beside the embeddings; " +
                                           "running the cell again (a `cell` or `grid` that reuses it) adds them");
        var (values, rows, dim) = NpyFile.Read(result.EmbeddingsPath);
        EmbeddingHistograms.Save(path, values, rows, dim, UserLabels.Read(result.UserGroupsPath), title);
    }

    /// <summary>Draws one plot; a failure becomes a line of the report instead of an image.</summary>
    private static string Draw(string dir, string file, string alt, Action<string> draw)
    {
        try
        {
            draw(Path.Combine(dir, file));
            return $"![{alt}]({Folder}/{file})\n";
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or Data.DataFormatException)
        {
            return $"({GridReport.MarkdownCell(alt)} not drawn: {GridReport.MarkdownCell(e.Message)})\n";
        }
    }

    private static string GroupTitle(GridReport report, IReadOnlyList<PlottedCell> cells, (string Dataset, string Model, int Seed) key, int seeds) =>
        $"{TableLabels.Model(key.Model)} / {TableLabels.Dataset(key.Dataset)}" +
        (report.AcrossSeeds ? $" ({seeds} seeds)" : cells.Select(c => c.Cell.Seed).Distinct().Count() > 1 ? $" (seed {key.Seed})" : "");

    private static string Title(CellSpec cell) =>
        $"{TableLabels.Model(cell.Model)} / {TableLabels.Dataset(cell.Dataset)} / {TableLabels.Method(cell.Method)}, {ProfileSettings.Short(cell.Profile)}, seed {cell.Seed}";

    /// <summary>A file name from a cell id: letters, digits, '.', '-' and '_' kept, runs of anything else one '_'.</summary>
    public static string Slug(string text) => Unsafe().Replace(text, "_").Trim('_');

    [GeneratedRegex("[^A-Za-z0-9.-]+")]
    private static partial Regex Unsafe();
}
