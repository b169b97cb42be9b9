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

    /// <summary>Optimiser steps in one epoch: every training pair and its negatives, in batches.</summary>
    public static long StepsPerEpoch(PreparedDataset data, TrainingOptions options) => StepsPerEpoch(data.NumTrain, options);

    public static long StepsPerEpoch(long trainingPairs, TrainingOptions options) =>
        (trainingPairs * options.RowsPerPair + options.BatchSize - 1) / options.BatchSize;

    /// <summary>Trains: continues from the latest checkpoint, then trains and evaluates each remaining
    /// epoch, then restores the best epoch's parameters (as RecBole's trainer: resume, train an epoch,
    /// evaluate it).</summary>
    /// <param name="seed">Seeds each epoch's negative sample and shuffle (<see cref="DerivedSeed"/>).</param>
    /// <param name="generator">Initialises the adversary (adv), after the model drew its own initial weights.</param>
    /// <param name="onStep">Called after every optimiser step with the objective of that step (reading
    /// it synchronises with the device, so leave it null outside diagnostics and tests).</param>
    /// <param name="checkpoints">Where to save and find the training state; null: none.</param>
    public TrainingOutcome Train(IRecommender model, int seed, Generator generator,
        Action<TrainingProgress>? progress = null, CancellationToken ct = default, Action<TrainingStep>? onStep = null,
        ICheckpoints<TrainingState>? checkpoints = null)
    {
        using var run = new Run(this, data, options, regime, model, generator, progress, onStep, checkpoints);
        run.ResumeFromCheckpoint();
        for (int epoch = run.FirstEpoch; epoch < options.Epochs; epoch++)
        {
            ct.ThrowIfCancellationRequested();
            var (loss, seconds) = run.TrainEpoch(epoch, seed, ct);
            run.EvaluateEpoch(epoch, loss, seconds);
        }
        return run.Finish();
    }

    /// <summary>One training run's parts (evaluators, optimiser, adversary) and its state (epochs so
    /// far, the best one, steps, times), which a checkpoint saves and restores whole.</summary>
    private sealed class Run : IDisposable
    {
        private readonly PointwiseTrainer _trainer;
        private readonly TrainingRegime _regime;
        private readonly IRecommender _model;
        private readonly Action<TrainingProgress>? _progress;
        private readonly Action<TrainingStep>? _onStep;
        private readonly ICheckpoints<TrainingState>? _checkpoints;
        private readonly RecommendationEvaluator _evaluator;
        private readonly RecommendationEvaluator? _validation;
        private readonly GroupIndex _groups;
        private readonly Adversary? _adversary;
        private readonly List<Parameter> _parameters;
        private readonly IAdam _adam;
        private readonly NegativeSampler _sampler;
        private readonly Tensor _window;
        private readonly Stopwatch _wall = Stopwatch.StartNew();
        private readonly RemainingTime _remaining = new();

        private readonly List<EpochRecord> _epochs = [];
        private ParameterSnapshot? _best;
        private int _bestEpoch = -1, _firstBatch;
        private RankingMetrics? _bestMetrics;
        private long _step;
        private float _resumedLossSum;
        private double _trainSeconds, _evalSeconds;

        public Run(PointwiseTrainer trainer, PreparedDataset data, TrainingOptions options, TrainingRegime regime, IRecommender model, Generator generator,
            Action<TrainingProgress>? progress, Action<TrainingStep>? onStep, ICheckpoints<TrainingState>? checkpoints)
        {
            (_trainer, Options, _regime, _model, _progress, _onStep, _checkpoints) = (trainer, options, regime, model, progress, onStep, checkpoints);
            var device = model.Device;
            _evaluator = new RecommendationEvaluator(data, device);
            // With a validation split the epoch is chosen on it; the test metrics are recorded for every
            // epoch (the curves, and how much choosing on them would flatter) but never choose.
            _validation = data.HasValidation ? new RecommendationEvaluator(data, device, validation: true) : null;
            _groups = new GroupIndex(data, device);
            _adversary = regime == TrainingRegime.Adversarial
                ? new Adversary(model.AttackedDim, options.AdversaryHidden, data.NumGroups, options.AdversaryReversalScale, device, generator)
                : null;
            _parameters = model.TrainableParameters.Concat(_adversary?.parameters() ?? []).ToList();
            _adam = AdamOptimizer.Create(_parameters, options.LearningRate);
            _sampler = new NegativeSampler(data, options.Negatives);
            _window = zeros(Window, device: device);
        }

        private TrainingOptions Options { get; }

        /// <summary>The first epoch to train: 0, or the one the checkpoint stopped in.</summary>
        public int FirstEpoch { get; private set; }

        /// <summary>Takes the latest checkpoint's parameters, optimiser moments, best epoch, history and position.</summary>
        public void ResumeFromCheckpoint()
        {
            if (_checkpoints?.Latest() is not { } saved) return;
            TensorValues.WriteAll(_parameters, saved.Parameters);
            _adam.Import(saved.Adam);
            if (saved.BestParameters is { } bestValues)
            {
                _best = new ParameterSnapshot(_model.TrainableParameters);
                _best.Load(bestValues);
            }
            _epochs.AddRange(saved.Epochs);
            (_bestEpoch, _bestMetrics, _step, _trainSeconds, _evalSeconds) = (saved.BestEpoch, saved.BestMetrics, saved.Step, saved.TrainSeconds, saved.EvalSeconds);
            (FirstEpoch, _firstBatch, _resumedLossSum) = (saved.Epoch, saved.NextBatch, saved.LossSum);
        }

        /// <summary>One epoch of mini-batch steps over a fresh sample (from the resumed batch in the first
        /// epoch of a resumed run); returns its mean loss and seconds. Cancelled, it saves where it stands.</summary>
        public (double Loss, double Seconds) TrainEpoch(int epoch, int seed, CancellationToken ct)
        {
            var clock = Stopwatch.StartNew();
            using var rows = EpochRows.Sample(_sampler, Options.Pairwise, new Random(DerivedSeed.Of(seed, DerivedSeed.EpochStream + epoch)), _model.Device);
            long total = rows.Users.shape[0];
            int batches = (int)((total + Options.BatchSize - 1) / Options.BatchSize);
            using var lossSum = zeros(1, device: _model.Device);
            int b = epoch == FirstEpoch ? _firstBatch : 0;
            if (b > 0) lossSum.fill_(Scalars.Of(_resumedLossSum));
            for (; b < batches; b++)
            {
                if (b % Window == 0 && b > 0)
                {
                    CheckFinite(_window, Window, epoch, _step);
                    if (ct.IsCancellationRequested)
                    {
                        _checkpoints?.Save(State(epoch, b, lossSum.item<float>()));
                        ct.ThrowIfCancellationRequested();
                    }
                }
                using var scope = NewDisposeScope();
                long start = (long)b * Options.BatchSize, len = Math.Min(Options.BatchSize, total - start);
                var loss = Step(rows.Users.narrow(0, start, len), rows.Items.narrow(0, start, len), rows.Third.narrow(0, start, len), lossSum, b);
                // Reading the loss synchronises with the device: only where it is reported.
                if (_progress is not null && (b % 200 == 0 || b == batches - 1))
                {
                    double done = epoch + (b + 1.0) / batches;
                    _progress(new TrainingProgress("train", epoch + 1, Options.Epochs, loss.item<float>(), _wall.Elapsed,
                        _remaining.After(_wall.Elapsed, done, Options.Epochs), $"batch {b + 1}/{batches}"));
                }
            }
            CheckFinite(_window, (batches - 1) % Window + 1, epoch, _step);
            double seconds = clock.Elapsed.TotalSeconds;
            _trainSeconds += seconds;
            return (lossSum.item<float>() / batches, seconds);
        }

        /// <summary>One optimiser step on a batch: the recommendation loss (added to the epoch's sum), the
        /// regime's term (Retrain's MMD every k-th step, Adv-InT's adversary), backward, Adam.</summary>
        private Tensor Step(Tensor u, Tensor i, Tensor third, Tensor lossSum, int batch)
        {
            var loss = _trainer.Objective(_model, u, i, third);
            lossSum.add_(loss.detach(), Scalars.One);
            if (_regime == TrainingRegime.Retrain && _step % Options.RetrainEvery == 0)
                loss = loss.add(MultiKernelMmd.AcrossGroups(_model.AttackedUserEmbedding, _groups.Rows).mul(Scalars.Of(Options.RetrainTradeOff)), Scalars.One);
            if (_adversary is not null)
            {
                var logits = _adversary.forward(_model.AttackedUserEmbedding.index_select(0, u));
                loss = loss.add(functional.cross_entropy(logits, _groups.Labels.index_select(0, u)).mul(Scalars.Of(Options.AdversaryWeight)), Scalars.One);
            }
            _window[batch % Window].copy_(loss.detach());
            _adam.ZeroGrad();
            loss.backward();
            _adam.Step();
            _onStep?.Invoke(new TrainingStep(_step, loss.item<float>()));
            _step++;
            return loss;
        }

        /// <summary>Evaluates the epoch's model, keeps it where it is the best so far, saves a checkpoint, reports.</summary>
        public void EvaluateEpoch(int epoch, double loss, double trainSeconds)
        {
            var clock = Stopwatch.StartNew();
            var metrics = _evaluator.Evaluate(_model);
            var validationMetrics = _validation?.Evaluate(_model);
            double evalSeconds = clock.Elapsed.TotalSeconds;
            _evalSeconds += evalSeconds;
            double bestScore = _epochs.Where(e => e.Epoch == _bestEpoch).Select(Score).DefaultIfEmpty(double.NegativeInfinity).First();
            var record = new EpochRecord(epoch, loss, trainSeconds, evalSeconds, metrics, validationMetrics);
            _epochs.Add(record);
            if (_bestMetrics is null || Score(record) > bestScore)
            {
                _best?.Dispose();
                _best = new ParameterSnapshot(_model.TrainableParameters);
                (_bestEpoch, _bestMetrics) = (epoch, metrics);
            }
            _checkpoints?.Save(State(epoch + 1, 0, 0));
            _progress?.Invoke(new TrainingProgress("train", epoch + 1, Options.Epochs, loss, _wall.Elapsed,
                _remaining.After(_wall.Elapsed, epoch + 1, Options.Epochs),
                $"epoch {epoch + 1}: {trainSeconds:F1}s HR@10 {metrics.Hr(10):F4} NDCG@10 {metrics.NdcgAt(10):F4}", trainSeconds));
        }

        /// <summary>The best epoch's parameters restored into the model, and the run's record.</summary>
        public TrainingOutcome Finish()
        {
            _best?.Restore();
            return new TrainingOutcome(_epochs, _bestEpoch, _bestMetrics ?? RankingMetrics.FromRanks([]), _trainSeconds, _evalSeconds, _step);
        }

        private double Score(EpochRecord e) => (e.Validation ?? e.Metrics).Hr(Options.SelectionCutoff);

        private TrainingState State(int nextEpoch, int nextBatch, float lossSoFar) => new(nextEpoch, nextBatch, _step, lossSoFar,
            _epochs.ToList(), _bestEpoch, _bestMetrics, _trainSeconds, _evalSeconds, TensorValues.ReadAll(_parameters), _best?.Values(), _adam.Export());

        public void Dispose()
        {
            _best?.Dispose();
            _window.Dispose();
            (_adam as IDisposable)?.Dispose();
            _adversary?.Dispose();
            _groups.Dispose();
            _validation?.Dispose();
            _evaluator.Dispose();
        }
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
