using System.Diagnostics;

namespace Unlearning.Tests.Shared;

/// <summary>A program the tests start (a silo, the client, the benchmark, redis-server): its output is
/// read as it comes, line by line, so it never blocks on a full pipe; disposing kills it.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly List<string> _errors = [];
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process) => _process = process;

    public static ChildProcess Start(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var child = new ChildProcess(new Process { StartInfo = info, EnableRaisingEvents = true });
        child._process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (child._output) child._output.Add(e.Data); };
        child._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (child._errors) child._errors.Add(e.Data); };
        child._process.Exited += (_, _) => child._exited.TrySetResult();
        child._process.Start();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>dotnet and the path of a program of this repository built in this test assembly's configuration.</summary>
    public static ChildProcess StartBuilt(string projectFolder, string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null) =>
        Start("dotnet", [Built(projectFolder, dll), .. args], env);

    /// <summary>Runs the built client (src/Client) with <paramref name="args"/> to its end; fails the
    /// test when it takes longer than <paramref name="limit"/>.</summary>
    public static ChildProcess RunClient(TimeSpan limit, params string[] args)
    {
        var client = StartBuilt("src/Client", "unlearn.dll", args);
        Assert.True(client.WaitForExit(limit), $"the client did not finish within {limit.TotalMinutes:F0} minutes\n{client.Printed}");
        return client;
    }

    /// <summary>bin/&lt;Configuration&gt;/&lt;framework&gt;/<paramref name="dll"/> of a project folder (src/Silo, bench/Unlearning.Bench, ...).</summary>
    public static string Built(string projectFolder, string dll)
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = here.Name, configuration = here.Parent!.Name;
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Unlearning.slnx"))) root = root.Parent;
        var path = Path.Combine(root!.FullName, projectFolder, "bin", configuration, framework, dll);
        Assert.True(File.Exists(path), $"{path} is not built");
        return path;
    }

    public int Id => _process.Id;
    public int ExitCode => _process.ExitCode;
    public bool HasExited => _process.HasExited;

    /// <summary>What it printed, for an assertion's message.</summary>
    public string Printed => $"--- output:\n{Output}\n--- errors:\n{Errors}";

    public string Output { get { lock (_output) return string.Join('\n', _output); } }
    public string Errors { get { lock (_errors) return string.Join('\n', _errors); } }

    /// <summary>Waits for the process to end; all of its output has been read when this returns true.</summary>
    public bool WaitForExit(TimeSpan limit)
    {
        if (!_process.WaitForExit(limit)) return false;
        _process.WaitForExit();
        return true;
    }

    /// <summary>The first line of standard output (or, with <paramref name="errors"/>, standard error)
    /// containing <paramref name="text"/>, waiting for it.</summary>
    public async Task<string> WaitForLine(string text, TimeSpan limit, bool errors = false)
    {
        var lines = errors ? _errors : _output;
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            // Once the process has exited, WaitForExit() also waits for the last lines to be read.
            bool exited = _exited.Task.IsCompleted && _process.WaitForExit(0);
            if (exited) _process.WaitForExit();
            lock (lines)
                if (lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line) return line;
            if (exited) throw new InvalidOperationException($"{_process.StartInfo.FileName} exited ({_process.ExitCode}) without printing '{text}':\n{Output}\n{Errors}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no line with '{text}' within {limit}:\n{Output}\n{Errors}");
            await Task.Delay(50);
        }
    }

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", $"{_process.Id}"])!;
        kill.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
