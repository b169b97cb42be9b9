using System.Diagnostics;
using TorchSharp.Modules;
using Unlearning.Data;
using Unlearning.Losses;
using Unlearning.Metrics;
using Unlearning.Models;
using Unlearning.Util;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Unlearning.Training;

/// <summary>In-training regimes of protocol.md section 3.</summary>
public enum TrainingRegime { Original, Retrain, Adversarial }

/// <summary>One epoch's record: training loss, seconds spent training (evaluation excluded), metrics.</summary>
/// <param name="Metrics">On the test split.</param>
/// <param name="Validation">On the validation split, where the data has one (the epoch is then chosen on it).</param>
public sealed record EpochRecord(int Epoch, double Loss, double TrainSeconds, double EvalSeconds, RankingMetrics Metrics, RankingMetrics? Validation = null);

/// <summary>One optimiser step: its number (from 0 across epochs) and the objective it minimised
/// (BCE plus, where the regime adds them, the MMD or adversary terms).</summary>
public readonly record struct TrainingStep(long Step, double Loss);

public sealed record TrainingOutcome(IReadOnlyList<EpochRecord> Epochs, int BestEpoch, RankingMetrics BestMetrics, double TrainSeconds, double EvalSeconds, long Steps);

/// <summary>
/// Pointwise BCE training with Adam: each epoch, every training pair plus sampled negatives in
/// shuffled mini-batches (drawn from a generator seeded with (seed, epoch)); or, with
/// <see cref="TrainingOptions.Pairwise"/>, BPR over (user, positive, negative) triples, as LightGCN's
/// own code trains (<see cref="TrainingOptions.EmbeddingDecay"/> adds its L2 term); evaluate after each
/// epoch and keep the epoch with the best HR@10. With <c>checkpoints</c> it saves its state after
/// every epoch and when cancelled, and continues from the latest saved state.
/// <c>Retrain</c> adds λ·Σ_j MMD(E[G_j], E[G_0]) on every k-th step; <c>Adversarial</c> adds the
/// cross-entropy of a gradient-reversed adversary on the batch users' attacked embeddings.
/// </summary>
public sealed class PointwiseTrainer(PreparedDataset data, TrainingOptions options, TrainingRegime regime)
{
    /// <summary>Mini-batches between cancellation checks and loss checks (one device sync each).</summary>
    private const int Window = 64;

    /// <param name="seed">Seeds each epoch's negative sample and shuffle (<see cref="DerivedSeed"/>).</param>
    /// <param name="generator">Initialises the adversary (adv), after the model drew its own initial weights.</param>
    /// <param name="onStep">Called after every optimiser step with the objective of that step (reading
    /// it synchronises with the device, so leave it null outside diagnostics and tests).</param>
    /// <param name="checkpoints">Where to save and find the training state; null: none.</param>
    /// <summary>Optimiser steps in one epoch: every training pair and its negatives, in batches.</summary>
    public static long StepsPerEpoch(PreparedDataset data, TrainingOptions options) => StepsPerEpoch(data.NumTrain, options);

    public static long StepsPerEpoch(long trainingPairs, TrainingOptions options) =>
        (trainingPairs * options.RowsPerPair + options.BatchSize - 1) / options.BatchSize;

    public TrainingOutcome Train(IRecommender model, int seed, Generator generator,
        Action<TrainingProgress>? progress = null, CancellationToken ct = default, Action<TrainingStep>? onStep = null,
        ICheckpoints<TrainingState>? checkpoints = null)
    {
        var device = model.Device;
        using var evaluator = new RecommendationEvaluator(data, device);
        // With a validation split the epoch is chosen on it; the test metrics are recorded for every
        // epoch (the curves, and how much choosing on them would flatter) but never choose.
        using var validation = data.HasValidation ? new RecommendationEvaluator(data, device, validation: true) : null;
        using var groups = new GroupIndex(data, device);
        using var adversary = regime == TrainingRegime.Adversarial
            ? new Adversary(model.AttackedDim, options.AdversaryHidden, data.NumGroups, options.AdversaryReversalScale, device, generator)
            : null;
        var parameters = model.TrainableParameters.Concat(adversary?.parameters() ?? []).ToList();
        using var adam = AdamOptimizer.Create(parameters, options.LearningRate);
        var sampler = new NegativeSampler(data, options.Negatives);

        var epochs = new List<EpochRecord>();
        ParameterSnapshot? best = null;
        int bestEpoch = -1, firstEpoch = 0, firstBatch = 0;
        RankingMetrics? bestMetrics = null;
        long step = 0;
        float resumedLossSum = 0;
        double trainSeconds = 0, evalSeconds = 0;
        if (checkpoints?.Latest() is { } saved)
        {
            TensorValues.WriteAll(parameters, saved.Parameters);
            adam.Import(saved.Adam);
            if (saved.BestParameters is { } bestValues)
            {
                best = new ParameterSnapshot(model.TrainableParameters);
                best.Load(bestValues);
            }
            epochs.AddRange(saved.Epochs);
            (bestEpoch, bestMetrics, step, trainSeconds, evalSeconds) = (saved.BestEpoch, saved.BestMetrics, saved.Step, saved.TrainSeconds, saved.EvalSeconds);
            (firstEpoch, firstBatch, resumedLossSum) = (saved.Epoch, saved.NextBatch, saved.LossSum);
        }
        using var window = zeros(Window, device: device);
        var wall = Stopwatch.StartNew();
        var remaining = new RemainingTime();
        try
        {
            for (int epoch = firstEpoch; epoch < options.Epochs; epoch++)
            {
                ct.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                using var rows = EpochRows.Sample(sampler, options.Pairwise, new Random(DerivedSeed.Of(seed, DerivedSeed.EpochStream + epoch)), device);
                long total = rows.Users.shape[0];
                int batches = (int)((total + options.BatchSize - 1) / options.BatchSize);
                using var lossSum = zeros(1, device: device);
                int b = epoch == firstEpoch ? firstBatch : 0;
                if (b > 0) lossSum.fill_(Scalars.Of(resumedLossSum));
                for (; b < batches; b++)
                {
                    if (b % Window == 0 && b > 0)
                    {
                        CheckFinite(window, Window, epoch, step);
                        if (ct.IsCancellationRequested)
                        {
                            checkpoints?.Save(State(epoch, b, step, lossSum.item<float>()));
                            ct.ThrowIfCancellationRequested();
                        }
                    }
                    using var scope = NewDisposeScope();
                    long start = (long)b * options.BatchSize, len = Math.Min(options.BatchSize, total - start);
                    var u = rows.Users.narrow(0, start, len);
                    var i = rows.Items.narrow(0, start, len);
                    var loss = Objective(model, u, i, rows.Third.narrow(0, start, len));
                    lossSum.add_(loss.detach(), Scalars.One);
                    if (regime == TrainingRegime.Retrain && step % options.RetrainEvery == 0)
                        loss = loss.add(MultiKernelMmd.AcrossGroups(model.AttackedUserEmbedding, groups.Rows).mul(Scalars.Of(options.RetrainTradeOff)), Scalars.One);
                    if (adversary is not null)
                    {
                        var logits = adversary.forward(model.AttackedUserEmbedding.index_select(0, u));
                        loss = loss.add(functional.cross_entropy(logits, groups.Labels.index_select(0, u)).mul(Scalars.Of(options.AdversaryWeight)), Scalars.One);
                    }
                    window[b % Window].copy_(loss.detach());
                    adam.ZeroGrad();
                    loss.backward();
                    adam.Step();
                    onStep?.Invoke(new TrainingStep(step, loss.item<float>()));
                    step++;
                    if (progress is not null && (b % 200 == 0 || b == batches - 1))
                    {
                        double done = epoch + (b + 1.0) / batches;
                        progress(new TrainingProgress("train", epoch + 1, options.Epochs, loss.item<float>(), wall.Elapsed,
                            remaining.After(wall.Elapsed, done, options.Epochs), $"batch {b + 1}/{batches}"));
                    }
                }
                CheckFinite(window, (batches - 1) % Window + 1, epoch, step);
                double epochLoss = lossSum.item<float>() / batches;
                double epochTrain = clock.Elapsed.TotalSeconds;
                trainSeconds += epochTrain;

                clock.Restart();
                var metrics = evaluator.Evaluate(model);
                var validationMetrics = validation?.Evaluate(model);
                double epochEval = clock.Elapsed.TotalSeconds;
                evalSeconds += epochEval;
                double bestScore = epochs.Where(e => e.Epoch == bestEpoch).Select(Score).DefaultIfEmpty(double.NegativeInfinity).First();
                var record = new EpochRecord(epoch, epochLoss, epochTrain, epochEval, metrics, validationMetrics);
                epochs.Add(record);
                if (bestMetrics is null || Score(record) > bestScore)
                {
                    best?.Dispose();
                    best = new ParameterSnapshot(model.TrainableParameters);
                    (bestEpoch, bestMetrics) = (epoch, metrics);
                }
                checkpoints?.Save(State(epoch + 1, 0, step, 0));
                progress?.Invoke(new TrainingProgress("train", epoch + 1, options.Epochs, epochLoss, wall.Elapsed,
                    remaining.After(wall.Elapsed, epoch + 1, options.Epochs),
                    $"epoch {epoch + 1}: {epochTrain:F1}s HR@10 {metrics.Hr(10):F4} NDCG@10 {metrics.NdcgAt(10):F4}", epochTrain));
            }
            best?.Restore();
        }
        finally
        {
            best?.Dispose();
        }
        return new TrainingOutcome(epochs, bestEpoch, bestMetrics ?? RankingMetrics.FromRanks([]), trainSeconds, evalSeconds, step);

        double Score(EpochRecord e) => (e.Validation ?? e.Metrics).Hr(options.SelectionCutoff);

        TrainingState State(int nextEpoch, int nextBatch, long steps, float lossSoFar) => new(nextEpoch, nextBatch, steps, lossSoFar,
            epochs.ToList(), bestEpoch, bestMetrics, trainSeconds, evalSeconds, TensorValues.ReadAll(parameters), best?.Values(), adam.Export());
    }

    /// <summary>The recommendation loss of one batch: pointwise BCE of (user, item, label) rows, or BPR
    /// of (user, positive, negative) triples; plus the embedding decay where set.</summary>
    private Tensor Objective(IRecommender model, Tensor users, Tensor items, Tensor third)
    {
        Tensor loss;
        if (options.Pairwise)
        {
            long n = users.shape[0];
            // One forward over positives and negatives together: LightGCN propagates once per call.
            var scores = model.Logits(cat([users, users], 0), cat([items, third], 0));
            loss = functional.logsigmoid(scores.narrow(0, 0, n).sub(scores.narrow(0, n, n))).mean().neg();
        }
        else
        {
            loss = functional.binary_cross_entropy_with_logits(model.Logits(users, items), third);
        }
        if (options.EmbeddingDecay > 0)
        {
            var squared = model.EgoSquaredNorm(users, options.Pairwise ? cat([items, third], 0) : items);
            loss = loss.add(squared.mul(Scalars.Of(options.EmbeddingDecay / 2 / users.shape[0])), Scalars.One);
        }
        return loss;
    }

    /// <summary>Throws naming the first step whose objective is NaN or infinite among the last
    /// <paramref name="filled"/> steps (window slots 0..filled-1), <paramref name="stepAfter"/> being the
    /// number of steps taken.</summary>
    private static void CheckFinite(Tensor window, int filled, int epoch, long stepAfter)
    {
        var values = TensorValues.Read(window);
        for (int k = 0; k < filled; k++)
            if (!float.IsFinite(values[k]))
                throw new TrainingDivergedException($"training diverged at epoch {epoch + 1}, step {stepAfter - filled + k}: the loss is {values[k]} (lower the learning rate)");
    }
}

/// <summary>One epoch's training rows on the device: (user, item, label) for BCE, (user, positive,
/// negative) for BPR.</summary>
internal sealed record EpochRows(Tensor Users, Tensor Items, Tensor Third) : IDisposable
{
    public static EpochRows Sample(NegativeSampler sampler, bool pairwise, Random rng, Device device)
    {
        if (pairwise)
        {
            var (users, positives, negatives) = sampler.SampleTriples(rng);
            return new EpochRows(tensor(users).to(device), tensor(positives).to(device), tensor(negatives).to(device));
        }
        var (u, items, labels) = sampler.SampleEpoch(rng);
        return new EpochRows(tensor(u).to(device), tensor(items).to(device), tensor(labels).to(device));
    }

    public void Dispose()
    {
        Users.Dispose();
        Items.Dispose();
        Third.Dispose();
    }
}
