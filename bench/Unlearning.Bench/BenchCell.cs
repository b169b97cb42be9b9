using System.Diagnostics;
using System.Globalization;
using Unlearning.Experiments;

namespace Unlearning.Bench;

/// <summary>One benchmarked cell: its result, or why it has none.</summary>
public sealed record BenchOutcome(CellSpec Cell, CellResult? Result, string? Error, double ProcessSeconds);

public static class BenchCell
{
    /// <summary>The child: computes the cell (never reusing a stored result of it; u2u / d2d take
    /// the original that this run computed before them) and prints the result path last.</summary>
    public static int RunHere(CellSpec cell, BenchOptions options)
    {
        var runner = new CellRunner(new EngineSettings { DataDir = options.Data, OutDir = options.Output, Device = "cpu", Threads = 1 },
            p => { if (p.Report.Detail is { } d && !d.StartsWith("batch", StringComparison.Ordinal)) Console.Error.WriteLine($"  {p.Cell.Model} {p.Cell.Method} {p.Report.Phase} {p.Report.Position}/{p.Report.Total}: {d}"); });
        try
        {
            var result = runner.Run(cell, reuseFinished: false);
            Console.WriteLine(result.ResultPath);
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"error: {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }

    public static BenchOutcome RunChild(CellSpec spec, BenchOptions options)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                typeof(BenchCell).Assembly.Location, "--one", spec.Dataset, spec.Model, spec.Method, "--profile", spec.Profile,
                "--seed", spec.Seed.ToString(CultureInfo.InvariantCulture), "--data", options.Data, "--out", options.Output,
            },
        };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var errors = new List<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            Console.Error.WriteLine(e.Data);
            lock (errors) errors.Add(e.Data);
        };
        process.BeginErrorReadLine();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        double seconds = clock.Elapsed.TotalSeconds;
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim();
        if (process.ExitCode != 0 || last is null || !File.Exists(last))
        {
            string why;
            lock (errors) why = errors.LastOrDefault(l => l.StartsWith("error:", StringComparison.Ordinal)) ?? errors.LastOrDefault() ?? "no output";
            return new BenchOutcome(spec, null, $"exit code {process.ExitCode}: {why}", seconds);
        }
        return new BenchOutcome(spec, CellResult.Load(last), null, seconds);
    }
}
