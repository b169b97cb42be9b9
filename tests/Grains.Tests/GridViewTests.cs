using Unlearning.Experiments;
using Spectre.Console;
using Unlearning.Client;

namespace Unlearning.Grains.Tests;

/// <summary>The client's live view stays bounded on a 10,000-cell grid: on a terminal, counts per
/// dataset, model and method and a screenful of running, failed and queued cells; in logs, failures
/// and a progress summary now and then; unchanged cells (the same status object) not looked at again.</summary>
public sealed class GridViewTests
{
    private static CellStatus Status(string model, string method, double tradeOff, CellState state, int seed = 2023) =>
        new(new CellSpec("ml-100k", model, method, $"paper;unlearning.trade_off={tradeOff.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}", seed), state,
            Silo: state is CellState.Running ? "silo-1" : null, Error: state is CellState.Failed ? "diverged" : null);

    /// <summary>10,000 cells: 2 models x 2 methods x 2,500 values; 5 running, 3 failed, 2,000 queued, the rest done or waiting.</summary>
    private static List<CellStatus> Sweep()
    {
        var cells = new List<CellStatus>();
        foreach (var model in new[] { "ncf", "lightgcn" })
            foreach (var method in new[] { "u2u", "d2d" })
                for (int i = 0; i < 2500; i++)
                {
                    int n = cells.Count;
                    var state = n % 1000 == 7 && n < 5000 ? CellState.Running : n % 3000 == 11 && n < 9000 ? CellState.Failed : n % 5 == 0 ? CellState.Queued
                        : n < 6000 ? CellState.Done : CellState.WaitingForInputs;
                    cells.Add(Status(model, method, (i + 1) * 1e-6, state));
                }
        return cells;
    }

    private static string Render(Spectre.Console.Rendering.IRenderable view)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(writer) });
        console.Profile.Width = 200;
        console.Write(view);
        return writer.ToString();
    }

    [Fact]
    public void ALargeGridShowsCountsAndAScreenfulOfRunningFailedAndQueuedCells()
    {
        var cells = Sweep();
        int running = cells.Count(c => c.State == CellState.Running), failed = cells.Count(c => c.State == CellState.Failed), queued = cells.Count(c => c.State == CellState.Queued);
        Assert.Equal((5, 3), (running, failed));

        // Running first, then failed, then queued; the rest counted.
        var shown = GridView.Select(cells, 20);
        Assert.Equal(19, shown.Rows.Count);
        Assert.Equal([.. Enumerable.Repeat(CellState.Running, 5), .. Enumerable.Repeat(CellState.Failed, 3), .. Enumerable.Repeat(CellState.Queued, 11)], shown.Rows.Select(r => r.State));
        Assert.Equal((0, 0, queued - 11), (shown.MoreRunning, shown.MoreFailed, shown.MoreQueued));
        // Within a state, in the grid's order: the swept value as a number.
        var queuedShown = shown.Rows.Where(r => r.State == CellState.Queued).ToList();
        Assert.Equal(GridView.Ordered(cells.Where(c => c.State == CellState.Queued)).Take(11), queuedShown);
        // Where everything fits, no row is spent on "more".
        Assert.Equal(running + failed, GridView.Select(cells.Where(c => c.State != CellState.Queued).ToList(), running + failed).Rows.Count);

        var groups = GridView.Groups(cells);
        Assert.Equal(4, groups.Count);
        Assert.All(groups, g => Assert.Equal(2500, g.Total));
        Assert.Equal(cells.Count(c => c.State == CellState.Done), groups.Sum(g => g.Done));
        Assert.Equal(failed, groups.Sum(g => g.Failed));
        Assert.Equal(cells.Count - cells.Count(c => c.IsFinished || c.State == CellState.Running), groups.Sum(g => g.Waiting));

        // On a 40-row terminal: the whole view in 40 lines, one per running and failed cell, the rest counted.
        var text = Render(GridView.Table(new GridStatus("big", cells, DateTimeOffset.Now, null), height: 40));
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length <= 40, $"{lines.Length} lines:\n{text}");
        Assert.Equal(5, lines.Count(l => l.Contains(" Running ")));
        Assert.Equal(3, lines.Count(l => l.Contains(" Failed ")));
        int queuedRows = lines.Count(l => l.Contains(" Queued "));
        Assert.InRange(queuedRows, 1, 40);
        Assert.Contains($"... and {queued - queuedRows} more running / queued / failed", text);
        Assert.Matches(@"ml-100k +lightgcn +u2u +\d+ +\d+ +\d+ +\d+ +2500", text);
    }

    [Fact]
    public void ASmallGridShowsEveryCell()
    {
        var cells = Enumerable.Range(0, 30).Select(i => Status("ncf", "d2d", i + 1, i % 2 == 0 ? CellState.Done : CellState.Pending)).ToList();
        var text = Render(GridView.Table(new GridStatus("small", cells, DateTimeOffset.Now, null), height: 10));
        Assert.Equal(15, text.Split('\n').Count(l => l.Contains(" Done ")));
        Assert.Equal(15, text.Split('\n').Count(l => l.Contains(" Pending ")));
        Assert.DoesNotContain("more running", text);
        // The settings column in numeric order: 9 before 10.
        Assert.True(text.IndexOf("trade_off=9 ", StringComparison.Ordinal) < text.IndexOf("trade_off=10 ", StringComparison.Ordinal), text);
    }

    [Fact]
    public void LogsOfALargeGridAreFailuresAndASummaryEveryTenSeconds()
    {
        var cells = Sweep();
        var log = new StringWriter();
        var now = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var view = new GridView(log, () => now);
        string[] Lines() => log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        view.Log(new GridStatus("big", cells, now, null));
        Assert.Equal(cells.Count, view.Examined);
        Assert.Equal(3, Lines().Count(l => l.Contains("Failed") && l.Contains("diverged")));
        Assert.Single(Lines(), l => l.StartsWith("progress: "));
        Assert.Equal(4, Lines().Length);

        // A second later one cell failed: the other 9,999 are the same objects, not looked at; one line.
        var next = cells.ToList();
        int at = next.FindIndex(c => c.State == CellState.Queued);
        next[at] = next[at] with { State = CellState.Failed, Error = "out of memory" };
        now += TimeSpan.FromSeconds(1);
        view.Log(new GridStatus("big", next, now, null));
        Assert.Equal(1, view.Examined);
        Assert.Equal(5, Lines().Length);
        Assert.Contains("out of memory", Lines()[^1]);

        // Nothing changed, ten seconds after the first summary: the next one.
        now += TimeSpan.FromSeconds(9);
        view.Log(new GridStatus("big", next, now, null));
        Assert.Equal(0, view.Examined);
        Assert.Equal(6, Lines().Length);
        Assert.StartsWith("progress: ", Lines()[^1]);
        Assert.Contains("4 failed", Lines()[^1]);
        now += TimeSpan.FromSeconds(1);
        view.Log(new GridStatus("big", next, now, null));
        Assert.Equal(6, Lines().Length);

        // The end: a last summary, once.
        view.Finish();
        Assert.Equal(7, Lines().Length);
        view.Finish();
        Assert.Equal(7, Lines().Length);
    }

    [Fact]
    public void LogsOfASmallGridAreALinePerChangeOfState()
    {
        var cells = Enumerable.Range(0, 200).Select(i => Status("ncf", "d2d", (i + 1) * 0.1, CellState.Queued)).ToList();
        var log = new StringWriter();
        var view = new GridView(log, () => DateTimeOffset.UnixEpoch);
        int Count() => log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

        view.Log(new GridStatus("small", cells, DateTimeOffset.UnixEpoch, null));
        Assert.Equal(200, Count());
        Assert.DoesNotContain("progress: ", log.ToString());

        var next = cells.ToList();
        next[3] = next[3] with { State = CellState.Running, Phase = "train", Position = 1, Total = 10 };
        next[4] = next[4] with { };  // a new object of the same state: looked at, no line
        view.Log(new GridStatus("small", next, DateTimeOffset.UnixEpoch, null));
        Assert.Equal(2, view.Examined);
        Assert.Equal(201, Count());

        // Progress within a phase is not a change of state.
        next[3] = next[3] with { Position = 5 };
        view.Log(new GridStatus("small", next, DateTimeOffset.UnixEpoch, null));
        Assert.Equal(201, Count());
        view.Finish();
        Assert.Equal(201, Count());
    }
}
