using Unlearning.Catalog;
using Unlearning.Attack;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Unlearning.Data;
using Unlearning.Experiments;
using Unlearning.Metrics;
using Unlearning.Models;
using Unlearning.Training;
using Unlearning.Util;
using static TorchSharp.torch;

namespace Unlearning.Bench;

/// <summary>
/// Each method in its own process (its peak memory is its own), from a freshly initialised model in
/// the paper profile: <c>--steps</c> training steps (original, retrain, adv) or unlearning steps (u2u,
/// d2d; <c>--train-steps</c> for the training methods where given), then one evaluation and one attack (MLP and trees).
///   dotnet run -c Release --project bench/Unlearning.Bench -- scale [--dataset lfm-2b-synthetic] [--steps 200]
///       [--train-steps N] [--models ncf,lightgcn] [--methods ...] [--threads 1] [--setup-users 1000] [--device cpu] [--skip-attack]
///       [--data DIR] [--results DIR]
/// </summary>
public static class ScaleBench
{
    // One line per child; NaN stands for a skipped attack.
    private static readonly JsonSerializerOptions Compact = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <param name="One">Set in a child process: the (model, method) to measure.</param>
    private sealed record Options(string Dataset, int Steps, int TrainSteps, string[] Models, string[] Methods, int Threads, int SetupUsers, string Data, string Results,
        string Device, bool Attack, (string Model, string Method)? One);

    public static int Run(string[] args)
    {
        Options options;
        try { options = Parse(args); }
        catch (ArgumentException e) { Console.Error.WriteLine($"error: {e.Message}"); return 2; }
        if (options.One is var (oneModel, oneMethod)) return RunOne(options, oneModel, oneMethod);

        var provenance = Provenance.Capture();
        var clock = Stopwatch.StartNew();
        try { Console.Error.WriteLine($"device: {TorchRuntime.Describe(TorchRuntime.ResolveDevice(options.Device))}"); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        // Prepared once here, so that every child finds it in the cache.
        PreparedDataset data;
        try { data = Load(options); }
        catch (Exception e) when (e is DataFormatException or IOException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        Console.Error.WriteLine($"{options.Dataset}: {data.NumUsers} users, {data.NumItems} items, {data.NumTrain} training pairs ({clock.Elapsed.TotalSeconds:F0} s)");
        var figures = new List<ScaleFigures>();
        foreach (var model in options.Models)
            foreach (var method in options.Methods)
            {
                Console.Error.WriteLine($"== {model} {method}");
                figures.Add(RunChild(model, method, args));
                Console.Error.WriteLine($"   {Describe(figures[^1])}");
            }
        provenance = provenance with { FinishedAt = DateTimeOffset.Now };
        var markdown = Render(options, data, figures, provenance, clock.Elapsed.TotalSeconds);
        Directory.CreateDirectory(options.Results);
        var path = Path.Combine(options.Results, $"scale-{options.Dataset}-{provenance.StartedAt:yyyyMMdd-HHmmss}.md");
        File.WriteAllText(path, markdown);
        Console.WriteLine(markdown);
        Console.Error.WriteLine($"figures: {path}");
        return figures.All(f => f.Error is null) ? 0 : 1;
    }

    private static Options Parse(string[] args)
    {
        string dataset = "lfm-2b-synthetic", data = RepoPaths.SharedData ?? "data", results = Path.Combine(RepoPaths.RepoRoot ?? ".", "bench", "results");
        int steps = 200, threads = 1, setupUsers = 1000;
        int? trainSteps = null;
        string device = "cpu";
        bool attack = true;
        string[] models = [.. Registry.Models.Names], methods = [.. Registry.PaperGridMethods];
        (string, string)? one = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Positive() => int.TryParse(Next(), CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw new ArgumentException($"{args[i - 1]} needs a positive whole number, not '{args[i]}'");
            string[] List() => Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            switch (args[i])
            {
                case "--dataset": dataset = Next(); break;
                case "--steps": steps = Positive(); break;
                case "--train-steps": trainSteps = Positive(); break;
                case "--device": device = Next(); break;
                case "--skip-attack": attack = false; break;
                case "--threads": threads = Positive(); break;
                case "--setup-users": setupUsers = Positive(); break;
                case "--models": models = List(); break;
                case "--methods": methods = List(); break;
                case "--data": data = Next(); break;
                case "--results": results = Next(); break;
                case "--one": one = (Next(), Next()); break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }
        foreach (var (model, method) in models.SelectMany(m => methods.Select(x => (m, x))))
            new CellSpec(dataset, model, method).Validate();
        return new Options(dataset, steps, trainSteps ?? steps, models, methods, threads, setupUsers, Path.GetFullPath(data), Path.GetFullPath(results), device, attack, one);
    }

    private static PreparedDataset Load(Options options) =>
        DatasetLoader.Load(options.Dataset, options.Data, ExperimentProfile.Get("paper").Data, Path.Combine(options.Data, ".scale-bench-cache"));

    private static ScaleFigures RunChild(string model, string method, string[] args)
    {
        var psi = SelfProcess.With(["scale", .. args, "--one", model, method]);
        using var process = Process.Start(psi)!;
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (process.ExitCode == 0 && last is not null && JsonSerializer.Deserialize<ScaleFigures>(last, Compact) is { } figures) return figures;
        string why;
        lock (errors) why = errors.ToString().Trim().Split('\n').LastOrDefault() ?? "no output";
        return new ScaleFigures(model, method, 0, 0, 0, 0, 0, 0, 0, $"exit code {process.ExitCode}: {why}");
    }

    /// <summary>The child: one method, its figures as one JSON line on standard output.</summary>
    private static int RunOne(Options options, string modelName, string method)
    {
        try
        {
            NativeAllocator.KeepFreedMemory();
            TorchRuntime.SetThreads(options.Threads);
            var data = Load(options);
            var profile = ExperimentProfile.Get("paper");
            var device = TorchRuntime.ResolveDevice(options.Device);
            using var gpu = GpuPeak.Start(device);
            var generator = new Generator(2023);
            using var model = CellRunner.CreateModel(modelName, data, profile, device, generator);
            bool unlearning = Registry.Methods.Get(method).NeedsOriginal;
            var (perStep, setup) = unlearning
                ? Unlearn(options, data, profile, model, method)
                : (Train(options, data, profile, model, method, generator), 0.0);
            var clock = Stopwatch.StartNew();
            using (var evaluator = new RecommendationEvaluator(data, device)) evaluator.Evaluate(model);
            double evaluation = clock.Elapsed.TotalSeconds;
            clock.Restart();
            if (options.Attack)
                CellRunner.Attack(2023, profile, UserLabels.Of(data),
                    TensorValues.Read(model.AttackedUserEmbedding), model.AttackedDim, _ => { }, CancellationToken.None);
            double attack = options.Attack ? clock.Elapsed.TotalSeconds : double.NaN;
            var figures = new ScaleFigures(modelName, method, unlearning ? options.Steps : options.TrainSteps, perStep, setup, Math.Min(options.SetupUsers, data.NumUsers),
                evaluation, attack, Process.GetCurrentProcess().PeakWorkingSet64, null,
                unlearning ? 0 : PointwiseTrainer.StepsPerEpoch(data, profile.Training), gpu?.PeakBytes);
            Console.WriteLine(JsonSerializer.Serialize(figures, Compact));
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"error: {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }

    /// <summary>Seconds per optimiser step over the first <c>--train-steps</c> steps of the first epoch
    /// (from the first step's end to the last's, so the epoch's negative sampling is not counted).</summary>
    private static double Train(Options options, PreparedDataset data, ExperimentProfile profile, IRecommender model, string method, Generator generator)
    {
        var regime = Registry.Methods.Get(method).Regime!.Value;
        using var stop = new CancellationTokenSource();
        var clock = new Stopwatch();
        double seconds = 0;
        void OnStep(TrainingStep step)
        {
            if (step.Step == 0) clock.Start();
            if (step.Step == options.TrainSteps) { seconds = clock.Elapsed.TotalSeconds; stop.Cancel(); }
        }
        try
        {
            new PointwiseTrainer(data, profile.Training with { Epochs = 1 }, regime).Train(model, 2023, generator, ct: stop.Token, onStep: OnStep);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        return seconds / options.TrainSteps;
    }

    /// <summary>The top-20 lists for the first <c>--setup-users</c> users, timed and scaled to all; the
    /// unlearning steps then use those lists repeated over every user (the same shape and cost).</summary>
    private static (double PerStep, double Setup) Unlearn(Options options, PreparedDataset data, ExperimentProfile profile, IRecommender model, string method)
    {
        var unlearning = profile.Unlearning with { Steps = options.Steps, EvaluateEvery = options.Steps };
        int sample = Math.Min(options.SetupUsers, data.NumUsers);
        var mask = new InteractionMask(data, model.Device);
        // One user's list costs the fixed part (LightGCN's propagation) and one user's share; the
        // sample's lists add sample − 1 shares.
        var clock = Stopwatch.StartNew();
        model.TopItems(mask.Rows, unlearning.TopK, 0, 1).Dispose();
        double one = clock.Elapsed.TotalSeconds;
        clock.Restart();
        using var sampled = model.TopItems(mask.Rows, unlearning.TopK, 0, sample);
        double perUser = Math.Max(0, clock.Elapsed.TotalSeconds - one) / Math.Max(1, sample - 1);
        double setup = one + perUser * (data.NumUsers - 1);
        using var repeated = sampled.repeat((data.NumUsers + sample - 1) / sample, 1).narrow(0, 0, data.NumUsers).contiguous();
        var loss = Registry.Methods.Get(method).Loss!.Value;
        var outcome = new PostTrainingUnlearner(data, unlearning, loss).Unlearn(model, topItems: repeated);
        return (outcome.StepSeconds / options.Steps, setup + outcome.SetupSeconds);
    }

    private static string Describe(ScaleFigures f) => f.Error ?? string.Create(CultureInfo.InvariantCulture,
        $"{f.SecondsPerStep:F3} s/step, set-up {f.SetupSeconds:F0} s, evaluation {f.EvaluationSeconds:F1} s, attack {(double.IsNaN(f.AttackSeconds) ? "skipped" : $"{f.AttackSeconds:F1} s")}, peak {f.PeakBytes / 1e9:F2} GB");

    private static string Render(Options options, PreparedDataset data, List<ScaleFigures> figures, Provenance provenance, double seconds)
    {
        var md = new StringBuilder();
        bool gpu = figures.Any(f => f.GpuPeakBytes is not null);
        string steps = options.TrainSteps == options.Steps ? $"{options.Steps} steps per method" : $"{options.TrainSteps} training steps, {options.Steps} unlearning steps";
        md.AppendLine(CultureInfo.InvariantCulture, $"# Scale: {options.Dataset}, {steps}, {options.Device}, {options.Threads} thread(s)");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{data.NumUsers:N0} users, {data.NumItems:N0} items, {data.NumTrain:N0} training pairs; paper profile; device {options.Device}. Commit {provenance.Commit[..Math.Min(12, provenance.Commit.Length)]}{(provenance.UncommittedChanges ? " (with uncommitted changes)" : "")}, {provenance.Cpu}, {provenance.Cores} cores, {provenance.StartedAt:yyyy-MM-dd HH:mm}; {seconds / 60:F1} min in all.");
        md.AppendLine();
        md.AppendLine($"| model | method | s / step | one epoch (s, at that rate) | set-up (top-20 lists) | evaluation | attack (MLP + trees) | peak memory |{(gpu ? " GPU peak |" : "")}");
        md.AppendLine($"|---|---|---|---|---|---|---|---|{(gpu ? "---|" : "")}");
        foreach (var f in figures)
            md.AppendLine(f.Error is { } e
                ? $"| {f.Model} | {f.Method} | failed: {e} | | | | | |{(gpu ? " |" : "")}"
                : string.Create(CultureInfo.InvariantCulture,
                    $"| {f.Model} | {f.Method} | {f.SecondsPerStep:F4} | {(f.StepsPerEpoch > 0 ? $"{f.SecondsPerStep * f.StepsPerEpoch:F0} ({f.StepsPerEpoch:N0} steps)" : "")} | {(Registry.Methods.Get(f.Method).NeedsOriginal ? $"{f.SetupSeconds:F0} s (from {f.SetupUsers:N0} users)" : "")} | {f.EvaluationSeconds:F1} s | {(double.IsNaN(f.AttackSeconds) ? "skipped" : $"{f.AttackSeconds:F1} s")} | {Gib(f.PeakBytes)} |{(gpu ? $" {(f.GpuPeakBytes is { } g ? Gib(g) : "")} |" : "")}"));
        md.AppendLine();
        md.AppendLine("Training steps: mini-batches of the first epoch (retrain's MMD on every 50th step counted in the mean). Unlearning steps: full-batch, from the freshly initialised model. Set-up: the top-20 lists measured on the first users and scaled to all." +
            (gpu ? " GPU peak: the most memory in use on the device while the method's process ran (NVML, CUDA context included)." : ""));
        return md.ToString();
    }

    private static string Gib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F2} GiB");
}
