using System.Diagnostics;
using System.Text.Json;
using Unlearning.Attack;
using Unlearning.Data;
using Unlearning.Metrics;
using Unlearning.Models;
using Unlearning.Storage;
using Unlearning.Training;
using Unlearning.Util;
using static TorchSharp.torch;

namespace Unlearning.Experiments;

/// <summary>
/// Runs one cell in this process and thread: prepare data, train (or load the original model from
/// the artifact store and unlearn), attack, and store result.json, model.bin and user_embeddings.npy
/// under the cell's config hash. Long work saves checkpoints in the store and continues from them
/// when the same cell runs again. Config in, result out.
/// </summary>
public sealed class CellRunner(EngineSettings settings, Action<CellProgress>? progress = null, Action<string>? log = null)
{
    private readonly Dictionary<string, PreparedDataset> _datasets = new();
    private readonly IArtifactStore _store = settings.ArtifactStore();

    /// <param name="reuseFinished">Return the stored result when this exact cell (config and data hash) has finished before.</param>
    public CellResult Run(CellSpec requested, bool reuseFinished = false, CancellationToken ct = default) =>
        Execute(requested, reuseFinished, ct).Result;

    /// <summary>Runs the cell unless it has finished before; says which happened.</summary>
    public (CellResult Result, bool Reused) RunOrReuse(CellSpec requested, CancellationToken ct = default) =>
        Execute(requested, reuseFinished: true, ct);

    /// <summary>A validated cell with its options, data and identity in the store.</summary>
    /// <param name="Requesters">The users who asked for their attribute to be forgotten (<c>unlearning.request_fraction</c>,
    /// drawn with the cell's seed, so the unlearner and the attack see the same); null where every user did.</param>
    private sealed record PreparedCell(ResolvedCell Resolved, PreparedDataset Data, string Hash, double DataSeconds, bool[]? Requesters)
    {
        public CellSpec Spec => Resolved.Spec;
        public ExperimentProfile Profile => Resolved.Profile;
    }

    /// <summary>What the cell's method produced, before the attack.</summary>
    private sealed record MethodRun(Dictionary<string, double> Recommendation, int? BestEpoch, List<EpochSummary> Epochs,
        List<StepSummary> Steps, double MethodSeconds, double EvalSeconds, double SecondsPerUnit, string Unit, string? ResumedFrom);

    private (CellResult Result, bool Reused) Execute(CellSpec requested, bool reuseFinished, CancellationToken ct)
    {
        var wall = Stopwatch.StartNew();
        var started = DateTimeOffset.Now;
        // An unusable device fails at once, before the data is read.
        var device = TorchRuntime.ResolveDevice(settings.Device);
        var cell = Prepare(requested);
        if (reuseFinished && TryLoadFinished(cell.Spec, cell.Hash) is { } finished)
        {
            log?.Invoke($"{cell.Spec.Id}: reusing finished result {finished.ResultPath}");
            // Results stored before the users' attributes were kept get them now (the plots and `attack` read them).
            if (finished.UserGroupsPath is null)
                finished = finished with { UserGroupsPath = _store.Write(cell.Hash, ArtifactNames.UserGroups, UserLabels.Of(cell.Data).Write) };
            return (finished, true);
        }

        NativeAllocator.KeepFreedMemory();
        TorchRuntime.SetThreads(settings.Threads);
        var generator = new Generator((ulong)cell.Spec.Seed);

        // The original first, so that only one model of this cell is in memory at a time.
        var (original, originalReused) = cell.Spec.NeedsOriginal ? Original(cell, ct) : (null, false);
        using var model = CreateModel(cell.Spec.Model, cell.Data, cell.Profile, device, generator);
        var run = original is null ? Train(cell, model, generator, ct) : Unlearn(cell, model, original, ct);

        var byGroup = RecommendationByGroup(cell.Data, model, device);
        var clock = Stopwatch.StartNew();
        var embeddings = AttackedEmbeddings(model);
        var labels = UserLabels.Of(cell.Data) with { Requested = cell.Requesters };
        var originalEmbeddings = OriginalEmbeddings(cell, original);
        var attacks = Attack(cell.Spec.Seed, cell.Profile, labels, embeddings, model.AttackedDim, Reporter(cell.Spec), ct,
            before: cell.Profile.Attack.Threat == AttackThreat.Stale ? originalEmbeddings ?? embeddings : null);
        double attackSeconds = clock.Elapsed.TotalSeconds;
        var rows = new UserRepresentations(embeddings, model.AttackedDim, UserRows(model.FullUserRepresentation()));
        AttackLadder? ladder = null;
        double? ladderSeconds = null;
        if (cell.Profile.Attack.Ladder)
        {
            clock.Restart();
            ladder = Ladder(cell, original, originalEmbeddings, labels, rows, attacks, ct);
            ladderSeconds = clock.Elapsed.TotalSeconds;
        }

        var result = Persist(cell, model, rows, run, byGroup, attacks, ladder, new CellTiming(run.MethodSeconds, run.SecondsPerUnit, run.Unit, run.EvalSeconds,
            attackSeconds, cell.DataSeconds, wall.Elapsed.TotalSeconds, Process.GetCurrentProcess().PeakWorkingSet64, ladderSeconds), device, started, original, originalReused);
        log?.Invoke($"{cell.Spec.Id}: done in {wall.Elapsed.TotalSeconds:F1}s -> {result.ResultPath}");
        return (result, false);
    }

    private PreparedCell Prepare(CellSpec requested)
    {
        var cell = ResolvedCell.Of(requested);
        var (spec, profile) = (cell.Spec, cell.Profile);
        RequireThreat(spec, profile);
        var clock = Stopwatch.StartNew();
        var data = LoadData(spec.Dataset, profile);
        RequireAttackableGroups(spec, profile, data);
        var requesters = UnlearningRequests.Of(data.UserGroup, profile.Unlearning.RequestFraction, spec.Seed);
        // The disclosed attack of requesters (the threat's, or the ladder's rung) needs both kinds in every group: known before any work.
        if (requesters is not null && (profile.Attack.Threat == AttackThreat.Disclosed || profile.Attack.Ladder))
            AttackEvaluator.RequireDisclosedSplit(data.UserGroup, requesters, spec.Seed);
        return new PreparedCell(cell, data, ConfigHash(spec, profile, data.ContentHash, groups: data.NumGroups), clock.Elapsed.TotalSeconds, requesters);
    }

    /// <summary>The stale threat trains the attacker on the Original's representations: a cell that
    /// starts from an Original has them, and so does the Original itself (where stale is the paper's
    /// attack); a method that trains on its own (Retrain, Adv-InT) has none, and is refused before work.</summary>
    private static void RequireThreat(CellSpec spec, ExperimentProfile profile)
    {
        AttackThreat.Require(profile.Attack);
        if (profile.Attack.Threat == AttackThreat.Stale && !spec.NeedsOriginal && !Catalog.Registry.IsStartedFrom(spec.Method))
            throw new ArgumentException($"attack.threat={AttackThreat.Stale} needs the Original's representations, which a {spec.Method} cell does not start from; " +
                                        "attack its stored result with `attack --cell DIR --threat stale --original ORIGINAL_DIR`");
    }

    /// <summary>The attacked embedding of the Original the cell started from, read once where the stale
    /// threat (its attacker trains on it; an Original's own is the cell's) or the ladder needs it; else null.</summary>
    private static float[]? OriginalEmbeddings(PreparedCell cell, CellResult? original) =>
        original is not null && (cell.Profile.Attack.Threat == AttackThreat.Stale || cell.Profile.Attack.Ladder)
            ? NpyFile.Read(original.EmbeddingsPath).Values
            : null;

    /// <summary>The final model's user rows: the attacked table and the full representation, row-major.</summary>
    private sealed record UserRepresentations(float[] Attacked, int AttackedDim, (float[] Values, int Dim) Full);

    /// <summary>The cell's attack ladder (<see cref="AttackLadder"/>), the protocol's attack reused as its
    /// rungs: the stale threat where the cell starts from an Original (its attacked and full views).</summary>
    private AttackLadder Ladder(PreparedCell cell, CellResult? original, float[]? attackedBefore, UserLabels labels, UserRepresentations rows,
        List<AttackReport> attacks, CancellationToken ct)
    {
        var notes = new List<string>();
        float[]? fullBefore = null;
        if (original is null) notes.Add(AttackLadder.NoStale(cell.Spec.Method));
        else
        {
            if (original.RepresentationPath is { } path) fullBefore = NpyFile.Read(path).Values;
            else notes.Add($"no stale rung on the {RepresentationAttack.Full} view: the Original was stored before its full representation was kept");
        }
        var known = attacks.Select(a => new LadderEntry(RepresentationAttack.Attacked, cell.Profile.Attack.Threat, a)).ToList();
        return AttackLadder.Run(cell.Spec.Seed, cell.Profile, labels,
            [new(RepresentationAttack.Attacked, rows.Attacked, rows.AttackedDim, attackedBefore), new(RepresentationAttack.Full, rows.Full.Values, rows.Full.Dim, fullBefore)],
            notes, known, Reporter(cell.Spec), ct);
    }

    /// <summary>The attack samples every group down to the smallest and splits it into folds, so a
    /// group smaller than the folds would fail the cell after all its training: it fails here, before.</summary>
    private static void RequireAttackableGroups(CellSpec spec, ExperimentProfile profile, PreparedDataset data)
    {
        // Groups are numbered by descending size: the last is the smallest.
        int smallest = data.GroupSizes()[^1], folds = profile.Attack.Folds;
        if (smallest < folds)
            throw new ArgumentException($"{spec.Dataset}: attribute value '{data.GroupValues[^1]}' has {smallest} users after filtering, fewer than " +
                                        $"the attack's {folds} folds (attack.folds): every group is sampled down to the smallest and split into folds. " +
                                        "Merge or drop that value, or lower attack.folds");
    }

    private Action<TrainingProgress> Reporter(CellSpec spec) => p => progress?.Invoke(new CellProgress(spec, p));

    /// <summary>The finished original of a u2u / d2d cell, from the store; trained here only where
    /// <see cref="EngineSettings.TrainMissingOriginal"/> allows it or where the stored one is corrupt.</summary>
    private (CellResult, bool) Original(PreparedCell cell, CancellationToken ct)
    {
        var spec = cell.Spec.OriginalCell;
        // The original's own profile: the cell's without its unlearning settings (same data).
        var hash = ConfigHash(spec, ExperimentProfile.Get(spec.Profile), cell.Data.ContentHash, groups: cell.Data.NumGroups);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (TryLoadFinished(spec, hash) is { } stored)
            {
                log?.Invoke($"{cell.Spec.Id}: original model from {stored.ModelPath}");
                return (stored, true);
            }
            var state = _store.Read(hash, ArtifactNames.Result).State;
            // A damaged original is computed again (never used); a missing one only where allowed.
            if (state != ArtifactState.Missing || settings.TrainMissingOriginal)
                return Execute(spec, reuseFinished: true, ct);
            if (deadline.Elapsed >= settings.OriginalWait)
                throw new MissingOriginalException($"the original model of {cell.Spec.Id} (config {hash[..12]}) is not in the artifact store " +
                    $"({_store.Description}) after {settings.OriginalWait.TotalSeconds:F0} s: every silo must share one store (Storage__Artifacts)");
            ct.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            ct.ThrowIfCancellationRequested();
        }
    }

    private MethodRun Train(PreparedCell cell, IRecommender model, Generator generator, CancellationToken ct)
    {
        var method = cell.Resolved.Method;
        var regime = method.Regime ?? throw new InvalidOperationException($"method {method.Name} does not train: it unlearns from {method.StartsFrom}");
        var options = cell.Profile.Training;
        var checkpoints = new StoredCheckpoints<TrainingState>(_store, cell.Hash, ArtifactNames.TrainingCheckpoint,
            TrainingState.Read, (s, path) => s.Write(path), s => s.Describe(options.Epochs), Resumed(cell.Spec), log);
        var outcome = new PointwiseTrainer(cell.Data, options, regime).Train(model, cell.Spec.Seed, generator, Reporter(cell.Spec), ct, checkpoints: checkpoints);
        return new MethodRun(CellResult.Flatten(outcome.BestMetrics), outcome.BestEpoch,
            outcome.Epochs.Select(e => new EpochSummary(e.Epoch, e.Loss, e.TrainSeconds, e.Metrics.Hr(10), e.Metrics.NdcgAt(10), e.Validation?.Hr(10), e.Validation?.NdcgAt(10))).ToList(), [],
            outcome.TrainSeconds, outcome.EvalSeconds, outcome.TrainSeconds / Math.Max(1, outcome.Epochs.Count), "epoch", checkpoints.ResumedFrom);
    }

    private MethodRun Unlearn(PreparedCell cell, IRecommender model, CellResult original, CancellationToken ct)
    {
        model.Load(original.ModelPath);
        var options = cell.Profile.Unlearning;
        var method = cell.Resolved.Method;
        var loss = method.Loss ?? throw new InvalidOperationException($"method {method.Name} does not unlearn: it trains");
        var checkpoints = new StoredCheckpoints<UnlearningState>(_store, cell.Hash, ArtifactNames.UnlearningCheckpoint,
            UnlearningState.Read, (s, path) => s.Write(path), s => s.Describe(options.Steps), Resumed(cell.Spec), log);
        var outcome = new PostTrainingUnlearner(cell.Data, options, loss, cell.Requesters).Unlearn(model, Reporter(cell.Spec), ct, checkpoints);
        return new MethodRun(CellResult.Flatten(outcome.FinalMetrics), null, [],
            outcome.Checkpoints.Select(c => new StepSummary(c.Step, c.Loss, c.Distinguishability, c.Regularisation, c.Metrics.Hr(10), c.Metrics.NdcgAt(10))).ToList(),
            outcome.UnlearningSeconds, outcome.EvalSeconds, outcome.StepSeconds / Math.Max(1, options.Steps), "step", checkpoints.ResumedFrom);
    }

    /// <summary>HR@K and NDCG@K of each attribute group's users on the test candidates: one more ranking
    /// of the final model (the one whose metrics the cell reports), split by the users' groups.</summary>
    private static Dictionary<string, Dictionary<string, double>> RecommendationByGroup(PreparedDataset data, IRecommender model, Device device)
    {
        using var evaluator = new RecommendationEvaluator(data, device);
        return RankingMetrics.ByGroup(evaluator.Ranks(model), data.UserGroup, data.GroupValues)
            .ToDictionary(g => g.Key, g => CellResult.Flatten(g.Value));
    }

    private Action<string> Resumed(CellSpec spec) => where =>
    {
        log?.Invoke($"{spec.Id}: resumed from its checkpoint {where}");
        progress?.Invoke(new CellProgress(spec, new TrainingProgress("resume", 0, 0, double.NaN, TimeSpan.Zero, null, where)));
    };

    /// <summary>Stores the model and embeddings, then result.json (its presence marks the cell
    /// finished), then drops the checkpoints.</summary>
    private CellResult Persist(PreparedCell cell, IRecommender model, UserRepresentations rows, MethodRun run,
        Dictionary<string, Dictionary<string, double>> byGroup, List<AttackReport> attacks, AttackLadder? ladder,
        CellTiming timing, Device device, DateTimeOffset started, CellResult? original, bool originalReused)
    {
        var (spec, data) = (cell.Spec, cell.Data);
        var modelPath = _store.Write(cell.Hash, ArtifactNames.Model, model.Save);
        var embeddingsPath = _store.Write(cell.Hash, ArtifactNames.Embeddings, path => NpyFile.Write(path, rows.Attacked, data.NumUsers, rows.AttackedDim));
        var representationPath = _store.Write(cell.Hash, ArtifactNames.Representation, path => NpyFile.Write(path, rows.Full.Values, data.NumUsers, rows.Full.Dim));
        var groupsPath = _store.Write(cell.Hash, ArtifactNames.UserGroups, UserLabels.Of(data).Write);
        var result = new CellResult
        {
            Cell = spec,
            DatasetLabel = TableLabels.Dataset(spec.Dataset),
            ProfileDeviatesFromPaper = cell.Profile.DeviatesFromPaper,
            DifferencesFromPaper = ProfileSettings.DifferencesFromPaper(cell.Profile).ToList(),
            ConfigHash = cell.Hash,
            DatasetHash = data.ContentHash,
            DatasetSummary = new DatasetSummary(data.NumUsers, data.NumItems, data.NumTrain,
                data.GroupSizes().Select((n, g) => (data.GroupValues[g], n)).ToDictionary(x => x.Item1, x => x.n)),
            Recommendation = run.Recommendation,
            RecommendationByGroup = byGroup,
            Attacks = attacks,
            Ladder = ladder,
            Timing = timing,
            BestEpoch = run.BestEpoch,
            Epochs = run.Epochs,
            UnlearningCheckpoints = run.Steps,
            ResumedFrom = run.ResumedFrom,
            Device = device.type == TorchSharp.DeviceType.CUDA ? $"cuda:{device.index}" : TorchRuntime.CpuKernels ? "cpu" : "cpu (portable kernels)",
            Machine = Environment.MachineName,
            StartedAt = started,
            FinishedAt = DateTimeOffset.Now,
            OriginalConfigHash = original?.ConfigHash,
            OriginalReused = originalReused,
            ModelPath = modelPath,
            EmbeddingsPath = embeddingsPath,
            RepresentationPath = representationPath,
            UserGroupsPath = groupsPath,
        };
        _store.Write(cell.Hash, ArtifactNames.Result, result.Save);
        _store.Delete(cell.Hash, ArtifactNames.TrainingCheckpoint);
        _store.Delete(cell.Hash, ArtifactNames.UnlearningCheckpoint);
        return result;
    }

    public PreparedDataset LoadData(string dataset, ExperimentProfile profile)
    {
        var key = $"{dataset}|{JsonSerializer.Serialize(profile.Data)}";
        if (!_datasets.TryGetValue(key, out var data))
            _datasets[key] = data = DatasetLoader.Load(dataset, settings.DataDir, profile.Data, _store.CacheDirectory, log);
        return data;
    }

    /// <summary>Part of every cell's config hash. Bump it with any change that alters a cell's
    /// numbers, so results stored by an older engine are computed again instead of reused.
    /// 2: fused CPU MMD (retrain and d2d round differently).
    /// 3: each epoch's negative sample drawn from a generator seeded with (seed, epoch), for exact resumption.
    /// 4: the MMD centres its rows first (retrain and d2d round differently; no NaN when U2U-like
    /// embeddings have nearly met).
    /// 5: LightGCN graphs above the dense limit propagate with CSR products on the CPU (they round differently).
    /// A change that alters only some cells marks those instead (see <paramref name="groups"/> of ConfigHash),
    /// so that every other stored result, day-long ones included, stays valid.</summary>
    public const int EngineRevision = 5;

    /// <summary>The cell's identity in the store (<see cref="CellHash"/>).</summary>
    /// <param name="groups">The attribute's number of groups.</param>
    public static string ConfigHash(CellSpec spec, ExperimentProfile profile, string datasetHash, int engineRevision = EngineRevision, int groups = 2) =>
        CellHash.Of(spec, profile, datasetHash, engineRevision, groups);

    /// <summary>The stored result of this exact cell with its model and embeddings, all verified;
    /// null when absent, from another configuration, or damaged (said in the log, computed again).</summary>
    private CellResult? TryLoadFinished(CellSpec spec, string hash)
    {
        var reads = new[] { ArtifactNames.Result, ArtifactNames.Model, ArtifactNames.Embeddings }.Select(n => _store.Read(hash, n)).ToArray();
        if (reads[0].State == ArtifactState.Missing) return null;
        if (reads.FirstOrDefault(r => !r.IsVerified) is { } bad)
        {
            log?.Invoke($"{spec.Id}: stored result not usable ({bad.Problem ?? "an artifact is missing"}); computing it again");
            return null;
        }
        try
        {
            var result = CellResult.Load(reads[0].Path!);
            // Results stored before the full representation and the labels were kept have neither.
            string? Optional(string name) => _store.Read(hash, name) is { IsVerified: true } r ? r.Path : null;
            return result.ConfigHash == hash
                ? result with
                {
                    ModelPath = reads[1].Path!, EmbeddingsPath = reads[2].Path!,
                    RepresentationPath = Optional(ArtifactNames.Representation), UserGroupsPath = Optional(ArtifactNames.UserGroups),
                }
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            log?.Invoke($"{spec.Id}: stored result not readable ({e.Message}); computing it again");
            return null;
        }
    }

    /// <summary>The model a cell names, built by its catalog entry with the profile's options for it.</summary>
    public static IRecommender CreateModel(string model, PreparedDataset data, ExperimentProfile profile, Device device, Generator generator)
    {
        var descriptor = Catalog.Registry.Models.Get(model);
        return descriptor.Create(data, profile.Section(descriptor.Options.Name), device, generator);
    }

    private static float[] AttackedEmbeddings(IRecommender model) => TensorValues.Read(model.AttackedUserEmbedding);

    /// <summary>A user matrix's values row-major, and its width; disposes it.</summary>
    private static (float[] Values, int Dim) UserRows(Tensor rows)
    {
        using (rows) return (TensorValues.Read(rows), (int)rows.shape[1]);
    }

    /// <summary>The attackers a profile sets up, in the catalog's order.</summary>
    /// <param name="only">Names of the attackers (any the catalog knows, any case); null: the protocol's (MLP, then trees).</param>
    internal static IAttacker[] Attackers(ExperimentProfile profile, IReadOnlyCollection<string>? only)
    {
        var chosen = only?.Select(Catalog.Registry.Attackers.Get).ToHashSet();
        return Catalog.Registry.Attackers.All.Where(a => chosen?.Contains(a) ?? a.InProtocol)
            .Select(a => a.Create(profile.Section(a.Options.Name))).ToArray();
    }

    /// <summary>The cell's attackers on user representations (rows in the labels' order), in the catalog's order.</summary>
    /// <param name="only">Names of the attackers to run (any the catalog knows, any case); null: the protocol's (MLP, then trees).</param>
    /// <param name="before">The same users' representations before unlearning, for the stale threat.</param>
    public static List<AttackReport> Attack(int seed, ExperimentProfile profile, UserLabels labels, float[] embeddings, int dim,
        Action<TrainingProgress> report, CancellationToken ct, IReadOnlyCollection<string>? only = null, float[]? before = null)
    {
        var options = profile.Attack with { Seed = seed };
        var attackers = Attackers(profile, only);
        var reports = new List<AttackReport>();
        var clock = Stopwatch.StartNew();
        for (int a = 0; a < attackers.Length; a++)
        {
            ct.ThrowIfCancellationRequested();
            reports.Add(AttackEvaluator.Evaluate(attackers[a], embeddings, dim, labels.Group, labels.Positive, options, before, labels.Requested));
            var r = reports[^1];
            report(new TrainingProgress("attack", a + 1, attackers.Length, 0, clock.Elapsed, null,
                $"{r.Attacker}: acc {r.Mean.Accuracy:F4} AUC {r.Mean.Auc:F4}"));
        }
        return reports;
    }
}
