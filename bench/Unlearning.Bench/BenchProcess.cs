using System.Diagnostics;

namespace Unlearning.Bench;

/// <summary>A program the control-plane benchmark starts (redis-server, a silo, the client): its output
/// read line by line as it comes, its CPU seconds and peak resident memory sampled from /proc while it
/// lives (the last sample stands once it has exited); disposing kills it.</summary>
internal sealed class BenchProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private BenchProcess(Process process) => _process = process;

    public static BenchProcess Start(string name, string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var child = new BenchProcess(new Process { StartInfo = info }) { Name = name };
        child._process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        child._process.Start();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>dotnet and a built dll.</summary>
    public static BenchProcess StartDll(string name, string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null) =>
        Start(name, "dotnet", [dll, .. args], env);

    public string Name { get; private init; } = "";
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public double CpuSeconds { get; private set; }
    public long PeakBytes { get; private set; }

    public IReadOnlyList<string> Lines { get { lock (_lines) return [.. _lines]; } }

    public string Tail(int count = 30) => string.Join('\n', Lines.TakeLast(count));

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lines)
        {
            _lines.Add(line);
            if (_lines.Count > 20000) _lines.RemoveRange(0, 10000);
        }
    }

    /// <summary>Reads the CPU seconds (user + system) and the peak resident set (VmHWM) of the live process.</summary>
    public void Sample()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            CpuSeconds = (double.Parse(fields[11]) + double.Parse(fields[12])) / 100.0; // utime, stime in clock ticks (100 Hz)
            foreach (var line in File.ReadLines($"/proc/{Id}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    PeakBytes = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // exited between two samples: the last sample stands
        }
    }

    /// <summary>The first line containing <paramref name="text"/>, waiting for it.</summary>
    public async Task<string> WaitForLine(string text, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (Lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line) return line;
            if (HasExited) break;
            await Task.Delay(50);
        }
        throw new TimeoutException($"{Name} printed no '{text}' within {limit}:\n{Tail()}");
    }

    public bool WaitForExit(TimeSpan limit) => _process.WaitForExit(limit);

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", Id.ToString()]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
