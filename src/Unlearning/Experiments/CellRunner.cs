using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Unlearning.Attack;
using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Training;
using Unlearning.Util;
using static TorchSharp.torch;

namespace Unlearning.Experiments;

/// <summary>Progress of one cell: which cell, and the engine's report.</summary>
public sealed record CellProgress(CellSpec Cell, TrainingProgress Report);

/// <summary>
/// Runs one cell in this process and thread: prepare data, train (or load the original model and
/// unlearn), evaluate, attack, and write result.json, model.bin and user_embeddings.npy into the
/// cell's folder. Config in, result out; u2u / d2d reuse the finished original cell or run it first.
/// </summary>
public sealed class CellRunner(EngineSettings settings, Action<CellProgress>? progress = null, Action<string>? log = null)
{
    private readonly Dictionary<string, PreparedDataset> _datasets = new();

    /// <param name="reuseFinished">Return the stored result when this exact cell (config and data hash) has finished before.</param>
    public CellResult Run(CellSpec requested, bool reuseFinished = false, CancellationToken ct = default) =>
        Execute(requested, reuseFinished, ct).Result;

    /// <summary>Runs the cell unless it has finished before; says which happened.</summary>
    public (CellResult Result, bool Reused) RunOrReuse(CellSpec requested, CancellationToken ct = default) =>
        Execute(requested, reuseFinished: true, ct);

    private (CellResult Result, bool Reused) Execute(CellSpec requested, bool reuseFinished, CancellationToken ct)
    {
        var spec = requested.Validate();
        var profile = ExperimentProfile.Get(spec.Profile);
        var wall = Stopwatch.StartNew();
        var started = DateTimeOffset.Now;

        var clock = Stopwatch.StartNew();
        var data = LoadData(spec.Dataset, profile);
        double dataSeconds = clock.Elapsed.TotalSeconds;

        var hash = ConfigHash(spec, profile, data.ContentHash);
        var dir = CellDirectory(spec, hash);
        var resultPath = Path.Combine(dir, CellResult.FileName);
        if (reuseFinished && TryLoadFinished(resultPath, hash) is { } finished)
        {
            log?.Invoke($"{spec.Id}: reusing finished result {resultPath}");
            return (finished, true);
        }

        NativeAllocator.KeepFreedMemory();
        TorchRuntime.SetThreads(settings.Threads);
        var device = TorchRuntime.ResolveDevice(settings.Device);
        Directory.CreateDirectory(dir);
        var generator = new Generator((ulong)spec.Seed);
        var rng = new Random(spec.Seed);

        // The original first, so that only one model of this cell is in memory at a time.
        var (original, originalReused) = spec.NeedsOriginal ? Execute(spec.OriginalCell, reuseFinished: true, ct) : (null, false);
        using var model = CreateModel(spec.Model, data, profile, device, generator);
        var report = (TrainingProgress p) => progress?.Invoke(new CellProgress(spec, p));

        var epochs = new List<EpochSummary>();
        var checkpoints = new List<StepSummary>();
        int? bestEpoch = null;
        Dictionary<string, double> recommendation;
        double methodSeconds, evalSeconds, perUnit;
        string unit;
        if (original is not null)
        {
            model.Load(original.ModelPath);
            var loss = spec.Method == "u2u" ? UnlearningLoss.UserToUser : UnlearningLoss.DistributionToDistribution;
            var outcome = new PostTrainingUnlearner(data, profile.Unlearning, loss).Unlearn(model, report, ct);
            recommendation = CellResult.Flatten(outcome.FinalMetrics);
            checkpoints.AddRange(outcome.Checkpoints.Select(c => new StepSummary(c.Step, c.Loss, c.Distinguishability, c.Regularisation, c.Metrics.Hr(10), c.Metrics.NdcgAt(10))));
            (methodSeconds, evalSeconds) = (outcome.UnlearningSeconds, outcome.EvalSeconds);
            (perUnit, unit) = (outcome.StepSeconds / Math.Max(1, profile.Unlearning.Steps), "step");
        }
        else
        {
            var regime = spec.Method switch
            {
                "retrain" => TrainingRegime.Retrain,
                "adv" => TrainingRegime.Adversarial,
                _ => TrainingRegime.Original,
            };
            var outcome = new PointwiseTrainer(data, profile.Training, regime).Train(model, rng, generator, report, ct);
            recommendation = CellResult.Flatten(outcome.BestMetrics);
            bestEpoch = outcome.BestEpoch;
            epochs.AddRange(outcome.Epochs.Select(e => new EpochSummary(e.Epoch, e.Loss, e.TrainSeconds, e.Metrics.Hr(10), e.Metrics.NdcgAt(10))));
            (methodSeconds, evalSeconds) = (outcome.TrainSeconds, outcome.EvalSeconds);
            (perUnit, unit) = (outcome.TrainSeconds / Math.Max(1, outcome.Epochs.Count), "epoch");
        }

        clock.Restart();
        var embeddings = AttackedEmbeddings(model);
        var attacks = Attack(spec, profile, data, embeddings, model.AttackedDim, report, ct);
        double attackSeconds = clock.Elapsed.TotalSeconds;

        var modelPath = Path.Combine(dir, "model.bin");
        var embeddingsPath = Path.Combine(dir, "user_embeddings.npy");
        model.Save(modelPath);
        NpyFile.Write(embeddingsPath, embeddings, data.NumUsers, model.AttackedDim);

        var result = new CellResult
        {
            Cell = spec,
            DatasetLabel = TableLabels.Dataset(spec.Dataset),
            ProfileDeviatesFromPaper = profile.DeviatesFromPaper,
            ConfigHash = hash,
            DatasetHash = data.ContentHash,
            DatasetSummary = new DatasetSummary(data.NumUsers, data.NumItems, data.NumTrain,
                data.GroupSizes().Select((n, g) => (data.GroupValues[g], n)).ToDictionary(x => x.Item1, x => x.n)),
            Recommendation = recommendation,
            Attacks = attacks,
            Timing = new CellTiming(methodSeconds, perUnit, unit, evalSeconds, attackSeconds, dataSeconds,
                wall.Elapsed.TotalSeconds, Process.GetCurrentProcess().PeakWorkingSet64),
            BestEpoch = bestEpoch,
            Epochs = epochs,
            UnlearningCheckpoints = checkpoints,
            Device = device.type == TorchSharp.DeviceType.CUDA ? $"cuda:{device.index}" : "cpu",
            Machine = Environment.MachineName,
            StartedAt = started,
            FinishedAt = DateTimeOffset.Now,
            OriginalConfigHash = original?.ConfigHash,
            OriginalReused = originalReused,
            ModelPath = modelPath,
            EmbeddingsPath = embeddingsPath,
        };
        result.Save(resultPath);
        log?.Invoke($"{spec.Id}: done in {wall.Elapsed.TotalSeconds:F1}s -> {resultPath}");
        return (result, false);
    }

    public PreparedDataset LoadData(string dataset, ExperimentProfile profile)
    {
        var key = $"{dataset}|{JsonSerializer.Serialize(profile.Data)}";
        if (!_datasets.TryGetValue(key, out var data))
            _datasets[key] = data = DatasetLoader.Load(dataset, settings.DataDir, profile.Data, settings.CacheDir, log);
        return data;
    }

    public string CellDirectory(CellSpec spec, string hash) =>
        Path.Combine(settings.OutDir, "cells", spec.Dataset, spec.Model, spec.Method, $"{spec.Profile}-seed{spec.Seed}-{hash[..12]}");

    /// <summary>Part of every cell's config hash. Bump it with any change that alters a cell's
    /// numbers, so results stored by an older engine are computed again instead of reused.
    /// 2: fused CPU MMD (retrain and d2d round differently).</summary>
    public const int EngineRevision = 2;

    public static string ConfigHash(CellSpec spec, ExperimentProfile profile, string datasetHash, int engineRevision = EngineRevision)
    {
        var canonical = JsonSerializer.Serialize(new { spec, profile, datasetHash, engineRevision });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static CellResult? TryLoadFinished(string resultPath, string hash)
    {
        if (!File.Exists(resultPath)) return null;
        try
        {
            var result = CellResult.Load(resultPath);
            return result.ConfigHash == hash && File.Exists(result.ModelPath) && File.Exists(result.EmbeddingsPath) ? result : null;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            return null;
        }
    }

    public static IRecommender CreateModel(string model, PreparedDataset data, ExperimentProfile profile, Device device, Generator generator) =>
        model switch
        {
            "ncf" => new NeuMF(data.NumUsers, data.NumItems, profile.NeuMF, device, generator),
            "lightgcn" => new LightGcn(data.NumUsers, data.NumItems, data.TrainPairs().Users, data.TrainItems, profile.LightGcn, device, generator),
            _ => throw new ArgumentException($"unknown model '{model}'"),
        };

    private static float[] AttackedEmbeddings(IRecommender model)
    {
        using var _ = no_grad();
        using var cpu = model.AttackedUserEmbedding.detach().cpu().contiguous();
        return cpu.data<float>().ToArray();
    }

    private static List<AttackReport> Attack(CellSpec spec, ExperimentProfile profile, PreparedDataset data, float[] embeddings, int dim,
        Action<TrainingProgress> report, CancellationToken ct)
    {
        var options = profile.Attack with { Seed = spec.Seed };
        IAttacker[] attackers = [new MlpAttacker(profile.MlpAttacker), new TreeAttacker(profile.TreeAttacker)];
        var reports = new List<AttackReport>();
        var clock = Stopwatch.StartNew();
        for (int a = 0; a < attackers.Length; a++)
        {
            ct.ThrowIfCancellationRequested();
            reports.Add(AttackEvaluator.Evaluate(attackers[a], embeddings, dim, data.UserGroup, data.PositiveGroup, options));
            var r = reports[^1];
            report(new TrainingProgress("attack", a + 1, attackers.Length, 0, clock.Elapsed, null,
                $"{r.Attacker}: acc {r.Mean.Accuracy:F4} AUC {r.Mean.Auc:F4}"));
        }
        return reports;
    }
}
