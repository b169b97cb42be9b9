using Unlearning.Experiments;

namespace Unlearning.Client;

/// <summary>Prints engine progress: one line per epoch / checkpoint / attacker, and an
/// overwritten status line for batches when stderr is a terminal.</summary>
public sealed class ConsoleProgress
{
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private bool _pendingLine;

    public void Report(CellProgress progress)
    {
        var r = progress.Report;
        string eta = r.Remaining is { } t ? $" ETA {Format(t)}" : "";
        string head = $"[{progress.Cell.Dataset} {progress.Cell.Model} {progress.Cell.Method}] {r.Phase} {r.Position}/{r.Total}";
        bool summary = r.Detail is null || !r.Detail.StartsWith("batch", StringComparison.Ordinal);
        if (summary)
        {
            ClearPending();
            Console.Error.WriteLine($"{head} {r.Detail} (elapsed {Format(r.Elapsed)}{eta})");
        }
        else if (_interactive)
        {
            Console.Error.Write($"\r{head} {r.Detail} loss {r.Loss:F4} elapsed {Format(r.Elapsed)}{eta}   ");
            _pendingLine = true;
        }
    }

    public void Log(string message)
    {
        ClearPending();
        Console.Error.WriteLine(message);
    }

    private void ClearPending()
    {
        if (!_pendingLine) return;
        Console.Error.WriteLine();
        _pendingLine = false;
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss") : t.ToString(@"mm\:ss");
}
