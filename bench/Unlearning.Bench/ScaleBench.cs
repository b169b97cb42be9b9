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

/// <summary>What one method costs at a dataset's full size, bounded in time: a whole cell at LFM-2B's
/// size takes hours on a CPU.</summary>
/// <param name="SetupSeconds">u2u / d2d: the top-20 lists under the model, measured on
/// <see cref="SetupUsers"/> users and scaled to all of them (each user's list is independent of the others').</param>
public sealed record ScaleFigures(string Model, string Method, int Steps, double SecondsPerStep, double SetupSeconds, int SetupUsers,
    double EvaluationSeconds, double AttackSeconds, long PeakBytes, string? Error = null);

/// <summary>
/// Each method in its own process (its peak memory is its own), from a freshly initialised model in
/// the paper profile: <c>--steps</c> training steps (original, retrain, adv) or unlearning steps (u2u,
/// d2d), then one evaluation and one attack (MLP and trees).
///   dotnet run -c Release --project bench/Unlearning.Bench -- scale [--dataset lfm-2b-synthetic] [--steps 200]
///       [--models ncf,lightgcn] [--methods ...] [--threads 1] [--setup-users 1000] [--data DIR] [--results DIR]
/// </summary>
public static class ScaleBench
{
    /// <param name="One">Set in a child process: the (model, method) to measure.</param>
    private sealed record Options(string Dataset, int Steps, string[] Models, string[] Methods, int Threads, int SetupUsers, string Data, string Results,
        (string Model, string Method)? One);

    public static int Run(string[] args)
    {
        Options options;
        try { options = Parse(args); }
        catch (ArgumentException e) { Console.Error.WriteLine($"error: {e.Message}"); return 2; }
        if (options.One is var (oneModel, oneMethod)) return RunOne(options, oneModel, oneMethod);

        var provenance = Provenance.Capture();
        var clock = Stopwatch.StartNew();
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
        string[] models = CellSpec.Models, methods = CellSpec.Methods;
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
        return new Options(dataset, steps, models, methods, threads, setupUsers, Path.GetFullPath(data), Path.GetFullPath(results), one);
    }

    private static PreparedDataset Load(Options options) =>
        DatasetLoader.Load(options.Dataset, options.Data, ExperimentProfile.Get("paper").Data, Path.Combine(options.Data, ".scale-bench-cache"));

    private static ScaleFigures RunChild(string model, string method, string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(typeof(ScaleBench).Assembly.Location);
        psi.ArgumentList.Add("scale");
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var a in new[] { "--one", model, method }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (process.ExitCode == 0 && last is not null && JsonSerializer.Deserialize<ScaleFigures>(last) is { } figures) return figures;
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
            var device = TorchRuntime.ResolveDevice("cpu");
            var generator = new Generator(2023);
            using var model = CellRunner.CreateModel(modelName, data, profile, device, generator);
            var (perStep, setup) = method is "u2u" or "d2d"
                ? Unlearn(options, data, profile, model, method)
                : (Train(options, data, profile, model, method, generator), 0.0);
            var clock = Stopwatch.StartNew();
            using (var evaluator = new RecommendationEvaluator(data, device)) evaluator.Evaluate(model);
            double evaluation = clock.Elapsed.TotalSeconds;
            clock.Restart();
            CellRunner.Attack(new CellSpec(options.Dataset, modelName, method, "paper", 2023), profile, data,
                TensorValues.Read(model.AttackedUserEmbedding), model.AttackedDim, _ => { }, CancellationToken.None);
            double attack = clock.Elapsed.TotalSeconds;
            var figures = new ScaleFigures(modelName, method, options.Steps, perStep, setup, Math.Min(options.SetupUsers, data.NumUsers),
                evaluation, attack, Process.GetCurrentProcess().PeakWorkingSet64);
            Console.WriteLine(JsonSerializer.Serialize(figures));
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"error: {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }

    /// <summary>Seconds per optimiser step over the first <c>--steps</c> steps of the first epoch
    /// (from the first step's end to the last's, so the epoch's negative sampling is not counted).</summary>
    private static double Train(Options options, PreparedDataset data, ExperimentProfile profile, IRecommender model, string method, Generator generator)
    {
        var regime = method switch { "retrain" => TrainingRegime.Retrain, "adv" => TrainingRegime.Adversarial, _ => TrainingRegime.Original };
        using var stop = new CancellationTokenSource();
        var clock = new Stopwatch();
        double seconds = 0;
        void OnStep(TrainingStep step)
        {
            if (step.Step == 0) clock.Start();
            if (step.Step == options.Steps) { seconds = clock.Elapsed.TotalSeconds; stop.Cancel(); }
        }
        try
        {
            new PointwiseTrainer(data, profile.Training with { Epochs = 1 }, regime).Train(model, 2023, generator, ct: stop.Token, onStep: OnStep);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        return seconds / options.Steps;
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
        var loss = method == "u2u" ? UnlearningLoss.UserToUser : UnlearningLoss.DistributionToDistribution;
        var outcome = new PostTrainingUnlearner(data, unlearning, loss).Unlearn(model, topItems: repeated);
        return (outcome.StepSeconds / options.Steps, setup + outcome.SetupSeconds);
    }

    private static string Describe(ScaleFigures f) => f.Error ?? string.Create(CultureInfo.InvariantCulture,
        $"{f.SecondsPerStep:F3} s/step, set-up {f.SetupSeconds:F0} s, evaluation {f.EvaluationSeconds:F1} s, attack {f.AttackSeconds:F1} s, peak {f.PeakBytes / 1e9:F2} GB");

    private static string Render(Options options, PreparedDataset data, List<ScaleFigures> figures, Provenance provenance, double seconds)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Scale: {options.Dataset}, {options.Steps} steps per method, {options.Threads} thread(s)");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{data.NumUsers:N0} users, {data.NumItems:N0} items, {data.NumTrain:N0} training pairs; paper profile; CPU. Commit {provenance.Commit[..Math.Min(12, provenance.Commit.Length)]}{(provenance.UncommittedChanges ? " (with uncommitted changes)" : "")}, {provenance.Cpu}, {provenance.Cores} cores, {provenance.StartedAt:yyyy-MM-dd HH:mm}; {seconds / 60:F1} min in all.");
        md.AppendLine();
        md.AppendLine("| model | method | s / step | set-up (top-20 lists) | evaluation | attack (MLP + trees) | peak memory |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var f in figures)
            md.AppendLine(f.Error is { } e
                ? $"| {f.Model} | {f.Method} | failed: {e} | | | | |"
                : string.Create(CultureInfo.InvariantCulture,
                    $"| {f.Model} | {f.Method} | {f.SecondsPerStep:F3} | {(f.Method is "u2u" or "d2d" ? $"{f.SetupSeconds:F0} s (from {f.SetupUsers:N0} users)" : "")} | {f.EvaluationSeconds:F1} s | {f.AttackSeconds:F1} s | {f.PeakBytes / (double)(1L << 30):F2} GiB |"));
        md.AppendLine();
        md.AppendLine("Training steps: mini-batches of the first epoch (retrain's MMD on every 50th step counted in the mean). Unlearning steps: full-batch, from the freshly initialised model. Set-up: the top-20 lists measured on the first users and scaled to all.");
        return md.ToString();
    }
}
