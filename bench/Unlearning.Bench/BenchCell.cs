using System.Diagnostics;
using System.Globalization;
using Unlearning.Experiments;
using Unlearning.Util;

namespace Unlearning.Bench;

public static class BenchCell
{
    /// <summary>The child: computes the cell (never reusing a stored result of it; u2u / d2d take
    /// the original that this run computed before them) and prints the GPU's peak (on a GPU), then the
    /// result path last.</summary>
    public static int RunHere(CellSpec cell, BenchOptions options)
    {
        var settings = new EngineSettings { DataDir = options.Data, OutDir = options.Output, Device = options.Device, Threads = 1 };
        cell = cell with { Profile = options.ProfileOf(cell.Method) };
        var runner = new CellRunner(settings,
            p => { if (p.Report.Detail is { } d && !d.StartsWith("batch", StringComparison.Ordinal)) Console.Error.WriteLine($"  {p.Cell.Model} {p.Cell.Method} {p.Report.Phase} {p.Report.Position}/{p.Report.Total}: {d}"); });
        try
        {
            using var gpu = GpuPeak.Start(TorchRuntime.ResolveDevice(options.Device));
            var result = runner.Run(cell, reuseFinished: false);
            if (gpu is not null) Console.WriteLine($"{GpuPeakLine}{gpu.PeakBytes}");
            Console.WriteLine(result.ResultPath);
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"error: {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }

    private const string GpuPeakLine = "gpu-peak-bytes ";

    public static BenchOutcome RunChild(CellSpec spec, BenchOptions options)
    {
        var psi = SelfProcess.With(["--one", spec.Dataset, spec.Model, spec.Method, .. options.ChildArguments()]);
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
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var last = lines.LastOrDefault();
        long? gpuPeak = lines.Where(l => l.StartsWith(GpuPeakLine, StringComparison.Ordinal))
            .Select(l => (long?)long.Parse(l[GpuPeakLine.Length..], CultureInfo.InvariantCulture)).LastOrDefault();
        if (process.ExitCode != 0 || last is null || !File.Exists(last))
        {
            string why;
            lock (errors) why = errors.LastOrDefault(l => l.StartsWith("error:", StringComparison.Ordinal)) ?? errors.LastOrDefault() ?? "no output";
            return new BenchOutcome(spec, null, $"exit code {process.ExitCode}: {why}", seconds);
        }
        // Read through its checksums, as every stored artifact is.
        return new BenchOutcome(spec, CellResult.LoadBeside(last), null, seconds, gpuPeak);
    }
}
