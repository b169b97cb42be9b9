using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Unlearning.Data;
using Unlearning.Experiments;
using Unlearning.Reporting;

// Runs the ten ML-100K cells (2 models x 5 methods, paper profile, real data) and writes a figures
// file. Each cell runs in its own child process, so its peak memory is its own.
//   dotnet run -c Release --project bench/Unlearning.Bench -- [--profile paper] [--data DIR] [--out DIR] [--models ncf,lightgcn] [--methods ...]
var options = BenchOptions.Parse(args);
if (options.OneCell is { } cell)
{
    var runner = new CellRunner(new EngineSettings { DataDir = options.Data, OutDir = options.Out, Device = "cpu", Threads = 1 },
        p => { if (p.Report.Detail is { } d && !d.StartsWith("batch")) Console.Error.WriteLine($"  {p.Cell.Model} {p.Cell.Method} {p.Report.Phase} {p.Report.Position}/{p.Report.Total}: {d}"); });
    var result = runner.Run(cell, reuseFinished: true);
    Console.WriteLine(result.ResultPath);
    return 0;
}

if (!Directory.Exists(Path.Combine(options.Data, "ml-100k")))
{
    Console.Error.WriteLine($"ML-100K not found under {options.Data}: pass --data with a folder holding ml-100k/ (for example ../shared/data)");
    return 2;
}

var results = new List<CellResult>();
var started = DateTimeOffset.Now;
foreach (var model in options.Models)
    foreach (var method in options.Methods)
    {
        var spec = new CellSpec("ml-100k", model, method, options.Profile, options.Seed);
        Console.Error.WriteLine($"== {spec.Id}");
        var path = RunChild(spec, options);
        if (path is null) { Console.Error.WriteLine($"   FAILED: {spec.Id}"); continue; }
        results.Add(CellResult.Load(path));
    }

Directory.CreateDirectory(options.Results);
var stamp = started.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
var markdown = BenchFigures.Render(results, options, started);
var mdPath = Path.Combine(options.Results, $"ml100k-{options.Profile}-{stamp}.md");
File.WriteAllText(mdPath, markdown);
File.WriteAllText(Path.ChangeExtension(mdPath, ".json"), JsonSerializer.Serialize(results, CellResult.Json));
Console.WriteLine(markdown);
Console.Error.WriteLine($"figures: {mdPath}");
return results.Count == options.Models.Length * options.Methods.Length ? 0 : 1;

static string? RunChild(CellSpec spec, BenchOptions options)
{
    var self = typeof(BenchOptions).Assembly.Location;
    var psi = new ProcessStartInfo("dotnet")
    {
        RedirectStandardOutput = true,
        ArgumentList = { self, "--one", spec.Dataset, spec.Model, spec.Method, "--profile", spec.Profile, "--seed", spec.Seed.ToString(CultureInfo.InvariantCulture), "--data", options.Data, "--out", options.Out },
    };
    using var process = Process.Start(psi)!;
    var output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim();
    return process.ExitCode == 0 && last is not null && File.Exists(last) ? last : null;
}

sealed record BenchOptions(string Data, string Out, string Results, string Profile, int Seed, string[] Models, string[] Methods, CellSpec? OneCell)
{
    public static BenchOptions Parse(string[] args)
    {
        string data = RepoPaths.SharedData ?? "data", output = "runs/bench", results = "bench/results", profile = "paper";
        int seed = 2023;
        string[] models = CellSpec.Models, methods = CellSpec.Methods;
        CellSpec? one = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--data": data = Next(); break;
                case "--out": output = Next(); break;
                case "--results": results = Next(); break;
                case "--profile": profile = Next(); break;
                case "--seed": seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--models": models = Next().Split(','); break;
                case "--methods": methods = Next().Split(','); break;
                case "--one": one = new CellSpec(Next(), Next(), Next()); break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }
        if (one is not null) one = one with { Profile = profile, Seed = seed };
        return new BenchOptions(Path.GetFullPath(data), Path.GetFullPath(output), results, profile, seed, models, methods, one);
    }
}

static class BenchFigures
{
    public static string Render(List<CellResult> results, BenchOptions options, DateTimeOffset started)
    {
        var paper = PaperTables.Published;
        var sb = new StringBuilder();
        sb.AppendLine($"# ML-100K benchmark ({options.Profile} profile, seed {options.Seed})");
        sb.AppendLine();
        sb.AppendLine($"Started {started:u} on {Environment.MachineName}, {Environment.ProcessorCount} cores, one TorchSharp thread per cell, cells run one after another.");
        sb.AppendLine();
        sb.AppendLine("## Time and memory");
        sb.AppendLine();
        sb.AppendLine("| model | method | per epoch / step (s) | method total (s) | paper (s) | evaluation (s) | attack (s) | cell wall (s) | peak memory (MiB) |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var t = r.Timing;
            var p = paper.Seconds(TableLabels.Model(r.Cell.Model), "ML-100K", TableLabels.Method(r.Cell.Method));
            sb.AppendLine($"| {TableLabels.Model(r.Cell.Model)} | {TableLabels.Method(r.Cell.Method)} | {t.SecondsPerUnit:F4} per {t.Unit} | {t.MethodSeconds:F1} | {(p is null ? "" : p.Value.ToString(CultureInfo.InvariantCulture))} | {t.EvaluationSeconds:F1} | {t.AttackSeconds:F1} | {t.WallSeconds:F1} | {t.PeakWorkingSetBytes >> 20} |");
        }
        sb.AppendLine();
        sb.AppendLine("## Table 1 and Table 3 (ours / paper (difference))");
        sb.AppendLine();
        foreach (var r in results) sb.AppendLine(CellReport.Render(r, paper));
        return sb.ToString();
    }
}
