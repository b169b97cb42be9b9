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
public sealed record EpochRecord(int Epoch, double Loss, double TrainSeconds, double EvalSeconds, RankingMetrics Metrics);

/// <summary>One optimiser step: its number (from 0 across epochs) and the objective it minimised
/// (BCE plus, where the regime adds them, the MMD or adversary terms).</summary>
public readonly record struct TrainingStep(long Step, double Loss);

public sealed record TrainingOutcome(IReadOnlyList<EpochRecord> Epochs, int BestEpoch, RankingMetrics BestMetrics, double TrainSeconds, double EvalSeconds, long Steps);

/// <summary>
/// Pointwise BCE training with Adam: each epoch, every training pair plus sampled negatives in
/// shuffled mini-batches; evaluate after each epoch and keep the epoch with the best HR@10.
/// <c>Retrain</c> adds λ·Σ_j MMD(E[G_j], E[G_0]) on every k-th step; <c>Adversarial</c> adds the
/// cross-entropy of a gradient-reversed adversary on the batch users' attacked embeddings.
/// </summary>
public sealed class PointwiseTrainer(PreparedDataset data, TrainingOptions options, TrainingRegime regime)
{
    /// <param name="onStep">Called after every optimiser step with the objective of that step (reading
    /// it synchronises with the device, so leave it null outside diagnostics and tests).</param>
    public TrainingOutcome Train(IRecommender model, Random rng, Generator generator,
        Action<TrainingProgress>? progress = null, CancellationToken ct = default, Action<TrainingStep>? onStep = null)
    {
        var device = model.Device;
        using var evaluator = new RecommendationEvaluator(data, device);
        using var groups = new GroupIndex(data, device);
        using var adversary = regime == TrainingRegime.Adversarial
            ? new Adversary(model.AttackedDim, options.AdversaryHidden, data.NumGroups, options.AdversaryReversalScale, device, generator)
            : null;
        var parameters = model.TrainableParameters.Concat(adversary?.parameters() ?? []).ToList();
        using var adam = AdamOptimizer.Create(parameters, options.LearningRate);
        var sampler = new NegativeSampler(data, options.Negatives);

        var epochs = new List<EpochRecord>();
        ParameterSnapshot? best = null;
        int bestEpoch = -1;
        RankingMetrics? bestMetrics = null;
        long step = 0;
        double trainSeconds = 0, evalSeconds = 0;
        var wall = Stopwatch.StartNew();
        try
        {
            for (int epoch = 0; epoch < options.Epochs; epoch++)
            {
                ct.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                var (users, items, labels) = sampler.SampleEpoch(rng);
                using var epochUsers = tensor(users).to(device);
                using var epochItems = tensor(items).to(device);
                using var epochLabels = tensor(labels).to(device);
                long total = users.Length;
                int batches = (int)((total + options.BatchSize - 1) / options.BatchSize);
                using var lossSum = zeros(1, device: device);
                for (int b = 0; b < batches; b++)
                {
                    if ((b & 63) == 0) ct.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    long start = (long)b * options.BatchSize, len = Math.Min(options.BatchSize, total - start);
                    var u = epochUsers.narrow(0, start, len);
                    var i = epochItems.narrow(0, start, len);
                    var y = epochLabels.narrow(0, start, len);
                    var loss = functional.binary_cross_entropy_with_logits(model.Logits(u, i), y);
                    lossSum.add_(loss.detach(), Scalars.One);
                    if (regime == TrainingRegime.Retrain && step % options.RetrainEvery == 0)
                        loss = loss.add(MultiKernelMmd.AcrossGroups(model.AttackedUserEmbedding, groups.Rows).mul(Scalars.Of(options.RetrainTradeOff)), Scalars.One);
                    if (adversary is not null)
                    {
                        var logits = adversary.forward(model.AttackedUserEmbedding.index_select(0, u));
                        loss = loss.add(functional.cross_entropy(logits, groups.Labels.index_select(0, u)).mul(Scalars.Of(options.AdversaryWeight)), Scalars.One);
                    }
                    adam.ZeroGrad();
                    loss.backward();
                    adam.Step();
                    onStep?.Invoke(new TrainingStep(step, loss.item<float>()));
                    step++;
                    if (progress is not null && (b % 200 == 0 || b == batches - 1))
                    {
                        double done = epoch + (b + 1.0) / batches;
                        progress(new TrainingProgress("train", epoch + 1, options.Epochs, loss.item<float>(), wall.Elapsed,
                            TimeSpan.FromSeconds(wall.Elapsed.TotalSeconds / done * (options.Epochs - done)), $"batch {b + 1}/{batches}"));
                    }
                }
                double epochLoss = lossSum.item<float>() / batches;
                double epochTrain = clock.Elapsed.TotalSeconds;
                trainSeconds += epochTrain;

                clock.Restart();
                var metrics = evaluator.Evaluate(model);
                double epochEval = clock.Elapsed.TotalSeconds;
                evalSeconds += epochEval;
                epochs.Add(new EpochRecord(epoch, epochLoss, epochTrain, epochEval, metrics));
                if (bestMetrics is null || metrics.Hr(options.SelectionCutoff) > bestMetrics.Hr(options.SelectionCutoff))
                {
                    best?.Dispose();
                    best = new ParameterSnapshot(model.TrainableParameters);
                    (bestEpoch, bestMetrics) = (epoch, metrics);
                }
                progress?.Invoke(new TrainingProgress("train", epoch + 1, options.Epochs, epochLoss, wall.Elapsed,
                    TrainingProgress.Estimate(wall.Elapsed, epoch + 1, options.Epochs),
                    $"epoch {epoch + 1}: {epochTrain:F1}s HR@10 {metrics.Hr(10):F4} NDCG@10 {metrics.NdcgAt(10):F4}", epochTrain));
            }
            best?.Restore();
        }
        finally
        {
            best?.Dispose();
        }
        return new TrainingOutcome(epochs, bestEpoch, bestMetrics ?? RankingMetrics.FromRanks([]), trainSeconds, evalSeconds, step);
    }
}
