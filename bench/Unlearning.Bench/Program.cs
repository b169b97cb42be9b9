using System.Text.Json;
using Unlearning.Bench;
using Unlearning.Experiments;

// Runs the cells of one dataset (default: the ten ML-100K cells, 2 models x 5 methods, paper
// profile, real data), each in its own child process so that its peak memory is its own, into a
// fresh output folder (nothing is reused from an earlier run), and writes a figures file with the
// commit and the machine. A failed cell is listed as failed and makes the exit code 1.
//   dotnet run -c Release --project bench/Unlearning.Bench -- [--data DIR] [--dataset ml-100k] [--profile paper]
//       [--seed 2023] [--models ncf,lightgcn] [--methods ...] [--device cpu] [--retrain-epochs N] [--out FRESH_DIR] [--results DIR]
//   dotnet run -c Release --project bench/Unlearning.Bench -- scrape [--seconds 20]   (what a Prometheus scrape costs a busy silo)
//   dotnet run -c Release --project bench/Unlearning.Bench -- scale [--dataset lfm-2b-synthetic] [--steps 200]   (each method at full size, bounded)
//   dotnet run -c Release --project bench/Unlearning.Bench -- compare RUN.json REFERENCE.json   (a run's values beside another's: GPU beside CPU)
//   dotnet run -c Release --project bench/Unlearning.Bench -- sweep [--values 2500]   (what planning and reporting a sweep of that many values cost)
//   dotnet run -c Release --project bench/Unlearning.Bench -- grid-scale [--cells 10000] [--silos 3] [--slots 16] [--cell-seconds 1] [--kill-silo]   (the control plane with a simulated engine)
// --device cuda runs the cells on a GPU (bench/gpu/run.sh); --retrain-epochs N shortens retrain and adv.
if (args.FirstOrDefault() == "scrape")
    return await ScrapeCost.Run(args[1..]);
if (args.FirstOrDefault() == "scale")
    return ScaleBench.Run(args[1..]);
if (args.FirstOrDefault() == "compare")
    return BenchComparison.Run(args[1..]);
if (args.FirstOrDefault() == "grid-scale")
    return await GridScaleBench.Run(args[1..]);
if (args.FirstOrDefault() == "sweep")
    return SweepCost.Run(args[1..]);

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

if (options.OneCell is { } cell)
    return BenchCell.RunHere(cell, options);

// A device that cannot be used fails here, once, naming the library and the device, not in every cell.
try
{
    Console.Error.WriteLine($"device: {Unlearning.Util.TorchRuntime.Describe(Unlearning.Util.TorchRuntime.ResolveDevice(options.Device))}");
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

if (options.Dataset == "ml-100k" && !Directory.Exists(Path.Combine(options.Data, "ml-100k")))
{
    Console.Error.WriteLine($"ML-100K not found under {options.Data}: pass --data with a folder holding ml-100k/ (for example ../shared/data)");
    return 2;
}

var provenance = Provenance.Capture();
var outcomes = new List<BenchOutcome>();
foreach (var model in options.Models)
    foreach (var method in options.Methods)
    {
        var spec = new CellSpec(options.Dataset, model, method, options.ProfileOf(method), options.Seed);
        Console.Error.WriteLine($"== {spec.Id}");
        var outcome = BenchCell.RunChild(spec, options);
        if (outcome.Error is { } error) Console.Error.WriteLine($"   FAILED: {error}");
        outcomes.Add(outcome);
    }
provenance = provenance with { FinishedAt = DateTimeOffset.Now };

Directory.CreateDirectory(options.Results);
var markdown = BenchFigures.Render(outcomes, options, provenance);
var mdPath = Path.Combine(options.Results, $"{options.Dataset.Replace("-", "")}-{options.Profile}-{provenance.StartedAt:yyyyMMdd-HHmmss}.md");
File.WriteAllText(mdPath, markdown);
File.WriteAllText(Path.ChangeExtension(mdPath, ".json"), JsonSerializer.Serialize(new { provenance, options.Output, cells = outcomes }, CellResult.Json));
Console.WriteLine(markdown);
Console.Error.WriteLine($"figures: {mdPath}");
return outcomes.All(o => o.Result is not null) ? 0 : 1;
