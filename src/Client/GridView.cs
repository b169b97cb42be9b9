using System.Text;
using Unlearning.Grains;

namespace Unlearning.Client;

/// <summary>Live view of a grid: one line per cell (state, silo, epoch / step, ETA) and an overall
/// progress bar. Redraws in place on a terminal; prints only changes otherwise.</summary>
public sealed class GridView
{
    private readonly bool _interactive = !Console.IsOutputRedirected;
    private readonly Dictionary<string, string> _lastLine = new();
    private int _drawnLines;

    public void Render(GridStatus status)
    {
        var lines = status.Cells.OrderBy(c => c.Cell.Dataset).ThenBy(c => c.Cell.Model).ThenBy(c => Array.IndexOf(Experiments.CellSpec.Methods, c.Cell.Method))
            .Select(c => (Key: c.Cell.ToString(), Text: Line(c))).ToList();
        if (_interactive)
        {
            var sb = new StringBuilder();
            if (_drawnLines > 0) sb.Append($"\u001b[{_drawnLines}A");
            foreach (var (_, text) in lines) sb.Append("\u001b[2K").AppendLine(text);
            sb.Append("\u001b[2K").AppendLine(Bar(status));
            Console.Write(sb.ToString());
            _drawnLines = lines.Count + 1;
            return;
        }
        foreach (var (key, text) in lines)
        {
            var state = text[..Math.Min(text.Length, 60)];
            if (_lastLine.TryGetValue(key, out var previous) && previous == state) continue;
            _lastLine[key] = state;
            Console.WriteLine(text);
        }
    }

    public static string Line(CellStatus c)
    {
        string where = (c.Silo is null ? "" : $" on {c.Silo}") + (c.Attempt > 1 ? $" (attempt {c.Attempt}{(c.ResumedFrom is null ? "" : ", " + c.ResumedFrom)})" : "");
        string progress = c.State == CellState.Running && c.Total > 0 ? $" {c.Phase} {c.Position}/{c.Total}" : "";
        string eta = c.State == CellState.Running && c.EtaSeconds is { } s ? $" ETA {TimeSpan.FromSeconds(Math.Round(s)):c}" : "";
        string detail = c.State switch
        {
            CellState.Failed => $" — {c.Error}",
            CellState.Done => c.Reused ? " — reused finished result" : $" — {c.Detail}",
            CellState.Queued => c.WaitingOnSilo > 0 ? $" — {c.WaitingOnSilo} cells waiting for a device slot there" : "",
            CellState.WaitingForInputs => " — waiting for original",
            _ => c.Detail is null ? "" : $" — {c.Detail}",
        };
        return $"{c.Cell.Dataset,-18} {c.Cell.Model,-9} {c.Cell.Method,-9} {c.State,-16}{where}{progress}{eta}{detail}";
    }

    public static string Bar(GridStatus status)
    {
        int total = status.Cells.Count, done = status.Count(CellState.Done), failed = status.Count(CellState.Failed);
        int running = status.Count(CellState.Running);
        double fraction = total == 0 ? 0 : status.Cells.Sum(c => c.IsFinished ? 1.0 : c.State == CellState.Running && c.Total > 0 ? 0.9 * c.Position / c.Total : 0) / total;
        int width = 30, filled = (int)Math.Round(fraction * width);
        return $"[{new string('#', filled)}{new string('.', width - filled)}] {fraction:P0}  {done} done, {failed} failed, {running} running, {total - done - failed - running} waiting";
    }
}
