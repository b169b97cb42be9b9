using System.Globalization;
using Unlearning.Data;
using Unlearning.Experiments;

namespace Unlearning.Bench;

/// <param name="Output">The run's own output folder: fresh (absent or empty), so every cell is computed here and now.</param>
/// <param name="OneCell">Set in a child process: the one cell to run.</param>
/// <param name="Device">cpu (the default: figures comparable from run to run), cuda, cuda:N or auto.</param>
/// <param name="RetrainEpochs">Retrain and adv train this many epochs instead of the profile's (the device
/// benchmark: their per-epoch time without a whole day's run); their profile is then named for it.</param>
public sealed record BenchOptions(string Data, string Dataset, string Output, string Results, string Profile, int Seed,
    string[] Models, string[] Methods, CellSpec? OneCell, string Device = "cpu", int? RetrainEpochs = null)
{
    /// <summary>A method's profile: under <see cref="RetrainEpochs"/>, retrain and adv with training.epochs set.</summary>
    public string ProfileOf(string method) =>
        RetrainEpochs is { } epochs && Unlearning.Catalog.Registry.Methods.Get(method).Regime is Unlearning.Training.TrainingRegime.Retrain or Unlearning.Training.TrainingRegime.Adversarial ? ProfileSettings.Compose(Profile, [$"training.epochs={epochs}"]) : Profile;

    /// <summary>The options a child process is given beside its cell.</summary>
    public IEnumerable<string> ChildArguments() =>
        ["--profile", Profile, "--seed", Seed.ToString(CultureInfo.InvariantCulture), "--data", Data, "--out", Output, "--device", Device,
         .. RetrainEpochs is { } epochs ? new[] { "--retrain-epochs", epochs.ToString(CultureInfo.InvariantCulture) } : []];

    public static BenchOptions Parse(string[] args)
    {
        string data = RepoPaths.SharedData ?? "data", dataset = "ml-100k", profile = "paper", device = "cpu";
        int? retrainEpochs = null;
        string? output = null;
        string results = Path.Combine(RepoPaths.RepoRoot ?? ".", "bench", "results");
        int seed = 2023;
        string[] models = [.. Unlearning.Catalog.Registry.Models.Names], methods = [.. Unlearning.Catalog.Registry.PaperGridMethods];
        CellSpec? one = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--data": data = Next(); break;
                case "--dataset": dataset = Next(); break;
                case "--out": output = Next(); break;
                case "--results": results = Next(); break;
                case "--profile": profile = Next(); break;
                case "--seed": seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--models": models = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--methods": methods = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--one": one = new CellSpec(Next(), Next(), Next()); break;
                case "--device": device = Next(); break;
                case "--retrain-epochs":
                    retrainEpochs = int.TryParse(Next(), CultureInfo.InvariantCulture, out var e) && e > 0 ? e
                        : throw new ArgumentException($"--retrain-epochs needs a positive whole number, not '{args[i]}'");
                    break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }
        foreach (var (model, method) in models.SelectMany(m => methods.Select(x => (m, x))))
            new CellSpec(dataset, model, method, profile, seed).Validate();
        if (one is not null)
        {
            if (output is null) throw new ArgumentException("--one needs --out");
            return new BenchOptions(Path.GetFullPath(data), dataset, Path.GetFullPath(output), results, profile, seed, models, methods, one with { Profile = profile, Seed = seed }, device, retrainEpochs);
        }
        output ??= Path.Combine(RepoPaths.RepoRoot ?? ".", "runs", "bench", $"{dataset}-{profile}-{DateTime.Now:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}");
        output = Path.GetFullPath(output);
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
            throw new ArgumentException($"--out {output} is not empty: the benchmark computes every cell afresh into a new folder (omit --out for one of its own)");
        return new BenchOptions(Path.GetFullPath(data), dataset, output, Path.GetFullPath(results), profile, seed, models, methods, null, device, retrainEpochs);
    }
}
