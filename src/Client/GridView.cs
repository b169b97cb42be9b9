using Spectre.Console;
using Spectre.Console.Rendering;
using Unlearning.Experiments;
using Unlearning.Grains;

namespace Unlearning.Client;

/// <summary>
/// Live view of a grid: on a terminal, a table redrawn in place by Spectre.Console (one row per cell:
/// dataset, model, method, settings, seed, state, silo, progress bar, ETA, detail) above an overall
/// bar; otherwise (CI, Kubernetes logs) plain lines, each printed when its cell's state changes. Both
/// go to standard error: they show progress, and standard output is left to the command's result.
/// </summary>
public sealed class GridView
{
    private readonly Dictionary<string, string> _lastLine = new();

    private static readonly IAnsiConsole Progress = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>True when standard error is a terminal that can redraw.</summary>
    public static bool Interactive => !Console.IsErrorRedirected && Progress.Profile.Capabilities.Ansi;

    /// <summary>Runs <paramref name="watch"/>, which reports each status it sees, under the live
    /// table on a terminal or printing changed lines otherwise.</summary>
    public async Task<T> Show<T>(Func<Action<GridStatus>, Task<T>> watch)
    {
        if (!Interactive) return await watch(PrintChanges);
        return await Progress.Live(new Text("connecting to the grid..."))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .StartAsync(async live => await watch(status =>
            {
                live.UpdateTarget(Table(status));
                live.Refresh();
            }));
    }

    private void PrintChanges(GridStatus status)
    {
        var several = Several.Of(status.Cells);
        foreach (var c in Ordered(status.Cells))
        {
            var text = Line(c, several);
            var key = c.Cell.ToString();
            // Progress within a phase (batch counts, ETA) is not a change worth a line.
            var state = text[..Math.Min(text.Length, 60 + Settings(c.Cell, several).Length)];
            if (_lastLine.TryGetValue(key, out var previous) && previous == state) continue;
            _lastLine[key] = state;
            Console.Error.WriteLine(text);
        }
    }

    /// <summary>Which identity columns tell the cells apart: settings where the grid holds several
    /// profiles (a sweep), seeds where it holds several seeds.</summary>
    public sealed record Several(bool Profiles, bool Seeds)
    {
        public static Several Of(IReadOnlyList<CellStatus> cells) =>
            new(cells.Select(c => c.Cell.Profile).Distinct().Count() > 1, cells.Select(c => c.Cell.Seed).Distinct().Count() > 1);
    }

    public static IEnumerable<CellStatus> Ordered(IEnumerable<CellStatus> cells) =>
        cells.OrderBy(c => c.Cell.Dataset).ThenBy(c => c.Cell.Model).ThenBy(c => Unlearning.Catalog.Registry.Methods.Order(c.Cell.Method))
            .ThenBy(c => c.Cell.Profile, StringComparer.Ordinal).ThenBy(c => c.Cell.Seed);

    /// <summary>The live table of a grid's cells, then the overall bar.</summary>
    public static IRenderable Table(GridStatus status)
    {
        var several = Several.Of(status.Cells);
        var table = new Table().Border(TableBorder.Simple).Expand();
        // Identity, state and progress keep their width; the detail gives way, cut short with an ellipsis.
        var columns = new List<string> { "dataset", "model", "method" };
        if (several.Profiles) columns.Add("settings");
        if (several.Seeds) columns.Add("seed");
        columns.AddRange(["state", "silo", "progress", "ETA"]);
        foreach (var name in columns) table.AddColumn(new TableColumn(name).NoWrap());
        table.AddColumn(new TableColumn("detail"));
        foreach (var c in Ordered(status.Cells))
        {
            var row = new List<IRenderable> { Plain(c.Cell.Dataset), Plain(c.Cell.Model), Plain(c.Cell.Method) };
            if (several.Profiles) row.Add(Plain(ProfileSettings.Short(c.Cell.Profile)));
            if (several.Seeds) row.Add(Plain(c.Cell.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            row.Add(new Markup($"[{StateColour(c.State)}]{c.State}[/]"));
            row.Add(Plain(c.Silo ?? ""));
            row.Add(c.State == CellState.Running && c.Total > 0 ? ProgressBar(c) : Plain(""));
            row.Add(Plain(Eta(c)));
            row.Add(Plain(Detail(c)));
            table.AddRow(row);
        }
        return new Rows(table, Overall(status));
    }

    private static IRenderable Plain(string text) => new Text(text).Overflow(Overflow.Ellipsis);

    private static IRenderable ProgressBar(CellStatus c)
    {
        double fraction = Math.Clamp((double)c.Position / c.Total, 0, 1);
        return new Columns(Bar(fraction, 12), new Text($"{c.Phase} {c.Position}/{c.Total}")).Collapse();
    }

    /// <summary>A bar of <paramref name="width"/> cells, green for the done part.</summary>
    private static BreakdownChart Bar(double fraction, int width) => new BreakdownChart().Width(width).HideTags().Compact()
        .AddItem("done", Math.Max(fraction, 1e-6), Color.Green)
        .AddItem("left", Math.Max(1 - fraction, 1e-6), Color.Grey23);

    private static string StateColour(CellState state) => state switch
    {
        CellState.Done => "green", CellState.Failed => "red", CellState.Running => "yellow", CellState.Queued => "blue", _ => "grey",
    };

    /// <summary>One plain line of a cell (status and cancel commands, and logs).</summary>
    public static string Line(CellStatus c, Several? several = null)
    {
        string where = (c.Silo is null ? "" : $" on {c.Silo}") + (c.Attempt > 1 ? $" (attempt {c.Attempt}{(c.ResumedFrom is null ? "" : ", " + c.ResumedFrom)})" : "");
        string progress = c.State == CellState.Running && c.Total > 0 ? $" {c.Phase} {c.Position}/{c.Total}" : "";
        string eta = Eta(c) is { Length: > 0 } e ? $" ETA {e}" : "";
        string detail = Detail(c) is { Length: > 0 } d ? $" — {d}" : "";
        return $"{c.Cell.Dataset,-18} {c.Cell.Model,-9} {c.Cell.Method,-9}{Settings(c.Cell, several)} {c.State,-16}{where}{progress}{eta}{detail}";
    }

    private static string Settings(CellKey cell, Several? several) =>
        (several?.Profiles == true ? $" [{ProfileSettings.Short(cell.Profile)}]" : "") + (several?.Seeds == true ? $" seed {cell.Seed}" : "");

    private static string Eta(CellStatus c) =>
        c.State == CellState.Running && c.EtaSeconds is { } s ? HumanTime.Format(s) : "";

    private static string Detail(CellStatus c) => c.State switch
    {
        CellState.Failed => c.Error ?? "",
        CellState.Done => c.Reused ? "reused finished result" : c.Detail ?? "",
        CellState.Queued => c.WaitingOnSilo > 0 ? $"{c.WaitingOnSilo} cells waiting for a device slot there" : "",
        CellState.WaitingForInputs => "waiting for original",
        _ => c.Detail ?? "",
    };

    /// <summary>The grid's share of work done: finished cells count whole, running ones by their progress.</summary>
    public static double Fraction(GridStatus status) => status.Cells.Count == 0 ? 0
        : status.Cells.Sum(c => c.IsFinished ? 1.0 : c.State == CellState.Running && c.Total > 0 ? 0.9 * c.Position / c.Total : 0) / status.Cells.Count;

    private static string Counts(GridStatus status)
    {
        int total = status.Cells.Count, done = status.Count(CellState.Done), failed = status.Count(CellState.Failed), running = status.Count(CellState.Running);
        return $"{Fraction(status):P0}  {done} done, {failed} failed, {running} running, {total - done - failed - running} waiting";
    }

    private static IRenderable Overall(GridStatus status)
    {
        return new Columns(Bar(Fraction(status), 40), new Text(Counts(status))).Collapse();
    }
}
