using Spectre.Console;
using Spectre.Console.Rendering;
using Unlearning.Experiments;
using Unlearning.Grains;
using Unlearning.Reporting;

namespace Unlearning.Client;

/// <summary>
/// Live view of a grid, on standard error (standard output is left to the command's result). On a
/// terminal, a table redrawn in place by Spectre.Console: with up to <see cref="FullTableCells"/> cells,
/// one row per cell (dataset, model, method, settings, seed, state, silo, progress bar, ETA, detail);
/// with more, a table of counts per dataset, model and method above rows for the running, failed and
/// queued cells only, as many as the terminal has room for. Otherwise (CI, Kubernetes logs) plain
/// lines: up to <see cref="LogEveryCellUpTo"/> cells, one each time a cell's state changes; with more,
/// one per failure and a progress summary every <see cref="SummaryEvery"/> and at the end. A cell whose
/// status is the very object seen last time is not looked at again (the grid hands back the same
/// record for a cell that did not change), so a 10,000-cell grid costs little per refresh.
/// </summary>
public sealed class GridView
{
    /// <summary>Up to this many cells, the terminal shows a row for every cell.</summary>
    public const int FullTableCells = 30;

    /// <summary>Up to this many cells, the logs get a line for every change of a cell's state.</summary>
    public const int LogEveryCellUpTo = 200;

    /// <summary>Above <see cref="LogEveryCellUpTo"/> cells, the logs' progress summary comes at most this often.</summary>
    public static readonly TimeSpan SummaryEvery = TimeSpan.FromSeconds(10);

    /// <summary>Rows of the terminal kept for everything but the cells' rows (headers, borders, the overall bar).</summary>
    public const int ReservedRows = 12;

    /// <summary>The terminal's height where it cannot be read.</summary>
    public const int DefaultHeight = 40;

    /// <summary>The status last seen of each cell, and the part of its line that counts as its state.</summary>
    private readonly Dictionary<CellSpec, (CellStatus Status, string State)> _seen = new();
    private readonly TextWriter _log;
    private readonly Func<DateTimeOffset> _clock;
    private DateTimeOffset? _summarisedAt;
    private GridStatus? _latest, _summarised;
    private (int Count, Several Several)? _several;

    private static readonly IAnsiConsole Progress = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public GridView() : this(Console.Error, () => DateTimeOffset.UtcNow) { }

    /// <param name="log">Where the plain lines go.</param>
    /// <param name="clock">The time, for spacing the progress summaries.</param>
    public GridView(TextWriter log, Func<DateTimeOffset> clock)
    {
        _log = log;
        _clock = clock;
    }

    /// <summary>True when standard error is a terminal that can redraw.</summary>
    public static bool Interactive => !Console.IsErrorRedirected && Progress.Profile.Capabilities.Ansi;

    /// <summary>Cells whose status the last <see cref="Log"/> looked at: those not handed over as the very object seen before.</summary>
    public int Examined { get; private set; }

    /// <summary>Runs <paramref name="watch"/>, which reports each status it sees, under the live
    /// table on a terminal or printing changed lines otherwise.</summary>
    public async Task<T> Show<T>(Func<Action<GridStatus>, Task<T>> watch)
    {
        if (!Interactive)
        {
            var result = await watch(Log);
            Finish();
            return result;
        }
        return await Progress.Live(new Text("connecting to the grid..."))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .StartAsync(async live => await watch(status =>
            {
                live.UpdateTarget(Table(status, TerminalHeight()));
                live.Refresh();
            }));
    }

    /// <summary>The terminal's height, or <see cref="DefaultHeight"/> where it has none.</summary>
    public static int TerminalHeight()
    {
        try { return Console.WindowHeight is var h and > 0 ? h : DefaultHeight; }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or InvalidOperationException) { return DefaultHeight; }
    }

    /// <summary>The plain lines of a status: the cells that changed since the last one (all of them
    /// up to <see cref="LogEveryCellUpTo"/> cells, else failures and a progress summary now and then).</summary>
    public void Log(GridStatus status)
    {
        _latest = status;
        var cells = status.Cells;
        if (_several is not { } known || known.Count != cells.Count) _several = (cells.Count, Several.Of(cells));
        var several = _several.Value.Several;
        var changed = new List<CellStatus>();
        foreach (var c in cells)
            if (!_seen.TryGetValue(c.Cell, out var seen) || !ReferenceEquals(seen.Status, c)) changed.Add(c);
        Examined = changed.Count;
        bool quiet = cells.Count > LogEveryCellUpTo;
        if (!quiet)
        {
            foreach (var c in changed.Count > 1 ? Ordered(changed) : changed)
            {
                bool before = _seen.TryGetValue(c.Cell, out var seen);
                var text = Line(c, several);
                // Progress within a phase (batch counts, ETA) is not a change worth a line.
                var state = text[..Math.Min(text.Length, 60 + Settings(c.Cell, several).Length)];
                _seen[c.Cell] = (c, state);
                if (before && seen.State == state) continue;
                _log.WriteLine(text);
            }
            return;
        }
        var failures = new List<CellStatus>();
        foreach (var c in changed)
        {
            if (c.State == CellState.Failed && !(_seen.TryGetValue(c.Cell, out var seen) && seen.Status.State == CellState.Failed)) failures.Add(c);
            _seen[c.Cell] = (c, "");
        }
        foreach (var c in Ordered(failures)) _log.WriteLine(Line(c, several));
        var now = _clock();
        if (_summarisedAt is null || now - _summarisedAt >= SummaryEvery || status.IsFinished && _summarised?.IsFinished != true)
        {
            _summarisedAt = now;
            _summarised = status;
            _log.WriteLine($"progress: {Counts(status)}");
        }
    }

    /// <summary>The end of the watch: a grid too large for a line per cell gets its last summary.</summary>
    public void Finish()
    {
        if (_latest is { } status && status.Cells.Count > LogEveryCellUpTo && !ReferenceEquals(_summarised, status))
        {
            _summarised = status;
            _log.WriteLine($"progress: {Counts(status)}");
        }
    }

    /// <summary>Which identity columns tell the cells apart: settings where the grid holds several
    /// profiles (a sweep), seeds where it holds several seeds.</summary>
    public sealed record Several(bool Profiles, bool Seeds)
    {
        public static Several Of(IReadOnlyList<CellStatus> cells) =>
            new(cells.Select(c => c.Cell.Profile).Distinct().Count() > 1, cells.Select(c => c.Cell.Seed).Distinct().Count() > 1);
    }

    /// <summary>Cells by dataset, model, method (the catalog's order), profile (swept values as
    /// numbers: <see cref="ProfileOrder"/>) and seed.</summary>
    public static IEnumerable<CellStatus> Ordered(IEnumerable<CellStatus> cells) =>
        cells.OrderBy(c => c.Cell.Dataset).ThenBy(c => c.Cell.Model).ThenBy(c => Unlearning.Catalog.Registry.Methods.Order(c.Cell.Method))
            .ThenBy(c => c.Cell.Profile, ProfileOrder.Instance).ThenBy(c => c.Cell.Seed);

    /// <summary>The live table of a grid's cells, then the overall bar: a row per cell up to
    /// <see cref="FullTableCells"/> cells; beyond, the counts of each dataset, model and method above
    /// as many rows of running, failed and queued cells as a terminal of <paramref name="height"/> rows has room for.</summary>
    public static IRenderable Table(GridStatus status, int height = DefaultHeight)
    {
        var several = Several.Of(status.Cells);
        if (status.Cells.Count <= FullTableCells) return new Rows(CellTable(Ordered(status.Cells), several), Overall(status));
        var groups = Groups(status.Cells);
        var shown = Select(status.Cells, Math.Max(3, height - ReservedRows - groups.Count));
        // The last row of the cells' table says how many it leaves out (a line of its own: in a column it would widen it).
        IRenderable[] more = shown.More > 0 ? [new Text(" " + shown.MoreText)] : [];
        return new Rows([GroupTable(groups), CellTable(shown.Rows, several), .. more, Overall(status)]);
    }

    /// <summary>The cells a bounded table shows: running first, then failed, then queued, each in
    /// <see cref="Ordered"/> order, at most <c>maxRows</c> rows counting the last one that says how many more there are.</summary>
    public sealed record Selection(IReadOnlyList<CellStatus> Rows, int MoreRunning, int MoreFailed, int MoreQueued)
    {
        public int More => MoreRunning + MoreFailed + MoreQueued;

        public string MoreText => $"... and {More} more running / queued / failed ({MoreRunning} running, {MoreQueued} queued, {MoreFailed} failed)";
    }

    public static Selection Select(IReadOnlyList<CellStatus> cells, int maxRows)
    {
        List<CellStatus> running = [], failed = [], queued = [];
        foreach (var c in cells)
            (c.State switch { CellState.Running => running, CellState.Failed => failed, CellState.Queued => queued, _ => null })?.Add(c);
        int all = running.Count + failed.Count + queued.Count;
        // Where some are cut, the last row says so.
        int room = all <= maxRows ? all : Math.Max(0, maxRows - 1);
        var rows = new List<CellStatus>(room);
        int Take(List<CellStatus> of)
        {
            int n = Math.Min(of.Count, room - rows.Count);
            if (n > 0) rows.AddRange(n == of.Count ? Ordered(of) : Ordered(of).Take(n));
            return of.Count - n;
        }
        int moreRunning = Take(running), moreFailed = Take(failed), moreQueued = Take(queued);
        return new Selection(rows, moreRunning, moreFailed, moreQueued);
    }

    /// <summary>The cells of one dataset, model and method, by state (waiting: queued, or not yet started).</summary>
    public sealed record GroupCount(string Dataset, string Model, string Method, int Done, int Failed, int Running, int Waiting)
    {
        public int Total => Done + Failed + Running + Waiting;
    }

    public static IReadOnlyList<GroupCount> Groups(IReadOnlyList<CellStatus> cells)
    {
        var counts = new Dictionary<(string Dataset, string Model, string Method), int[]>();
        foreach (var c in cells)
        {
            var key = (c.Cell.Dataset, c.Cell.Model, c.Cell.Method);
            if (!counts.TryGetValue(key, out var n)) counts[key] = n = new int[4];
            n[c.State switch { CellState.Done => 0, CellState.Failed => 1, CellState.Running => 2, _ => 3 }]++;
        }
        return counts.OrderBy(g => g.Key.Dataset, StringComparer.Ordinal).ThenBy(g => g.Key.Model, StringComparer.Ordinal)
            .ThenBy(g => Unlearning.Catalog.Registry.Methods.Order(g.Key.Method))
            .Select(g => new GroupCount(g.Key.Dataset, g.Key.Model, g.Key.Method, g.Value[0], g.Value[1], g.Value[2], g.Value[3])).ToList();
    }

    private static Table GroupTable(IReadOnlyList<GroupCount> groups)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var name in new[] { "dataset", "model", "method" }) table.AddColumn(new TableColumn(name).NoWrap());
        foreach (var name in new[] { "done", "failed", "running", "waiting", "total" }) table.AddColumn(new TableColumn(name).NoWrap().RightAligned());
        foreach (var g in groups)
            table.AddRow(Plain(g.Dataset), Plain(g.Model), Plain(g.Method), new Markup($"[green]{g.Done}[/]"), new Markup(g.Failed > 0 ? $"[red]{g.Failed}[/]" : "0"),
                new Markup($"[yellow]{g.Running}[/]"), Plain(N(g.Waiting)), Plain(N(g.Total)));
        return table;
    }

    private static string N(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Table CellTable(IEnumerable<CellStatus> cells, Several several)
    {
        var table = new Table().Border(TableBorder.Simple).Expand();
        // Identity, state and progress keep their width; the detail gives way, cut short with an ellipsis.
        var columns = new List<string> { "dataset", "model", "method" };
        if (several.Profiles) columns.Add("settings");
        if (several.Seeds) columns.Add("seed");
        columns.AddRange(["state", "silo", "progress", "ETA"]);
        foreach (var name in columns) table.AddColumn(new TableColumn(name).NoWrap());
        table.AddColumn(new TableColumn("detail"));
        foreach (var c in cells)
        {
            var row = new List<IRenderable> { Plain(c.Cell.Dataset), Plain(c.Cell.Model), Plain(c.Cell.Method) };
            if (several.Profiles) row.Add(Plain(ProfileSettings.Short(c.Cell.Profile)));
            if (several.Seeds) row.Add(Plain(N(c.Cell.Seed)));
            row.Add(new Markup($"[{StateColour(c.State)}]{c.State}[/]"));
            row.Add(Plain(c.Silo ?? ""));
            row.Add(c.State == CellState.Running && c.Total > 0 ? ProgressBar(c) : Plain(""));
            row.Add(Plain(Eta(c)));
            row.Add(Plain(Detail(c)));
            table.AddRow(row);
        }
        return table;
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

    private static string Settings(CellSpec cell, Several? several) =>
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
