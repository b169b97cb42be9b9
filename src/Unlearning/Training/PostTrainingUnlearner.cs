using System.Diagnostics;
using Unlearning.Data;
using Unlearning.Losses;
using Unlearning.Metrics;
using Unlearning.Models;
using Unlearning.Util;
using static TorchSharp.torch;

namespace Unlearning.Training;

/// <summary>
/// Post-training attribute unlearning: starting from a trained model, optimise only the attacked
/// user embedding E for <c>Steps</c> full-batch Adam steps on
/// distinguishability(E) + λ · Σ_u Σ_n max(0, s_{n+1} − s_n + margin) over each user's original top-K.
/// <c>unlearning.target=full</c> takes the term on the full user representation instead and moves
/// what the model's <see cref="IRecommender.FullUnlearningTarget"/> says (<see cref="UnlearningTarget"/>).
/// </summary>
/// <param name="requested">The users who asked for their attribute to be forgotten (<see cref="UnlearningRequests.Of"/>),
/// needed where <c>unlearning.request_fraction</c> is below 1 and refused where it is 1: only their rows of
/// the moved tables move, and the distinguishability term is taken over them alone.</param>
public sealed class PostTrainingUnlearner(PreparedDataset data, UnlearningOptions options, UnlearningLoss loss, bool[]? requested = null)
{
    /// <summary>Steps between saved states (and on cancellation).</summary>
    public const int CheckpointEvery = 50;

    /// <param name="savedStates">Where to save and find the unlearning state; null: none. The top-K
    /// lists and the frozen parts of the scores come from the model as given (the original), before
    /// the saved parameters replace the moved ones.</param>
    /// <param name="topItems">Each user's top-K list ([n_users, K]) where the caller has it already
    /// (the scale benchmark); null: computed here, as the protocol says.</param>
    public UnlearningOutcome Unlearn(IRecommender model, Action<TrainingProgress>? progress = null, CancellationToken ct = default,
        ICheckpoints<UnlearningState>? savedStates = null, Tensor? topItems = null)
    {
        UnlearningTarget.Require(options.Target);
        RequireRequesters();
        var device = model.Device;
        using var evaluator = new RecommendationEvaluator(data, device);
        using var groups = new GroupIndex(data, device, requested);
        var wall = Stopwatch.StartNew();
        var remaining = new RemainingTime();

        var clock = Stopwatch.StartNew();
        using var ownTopItems = topItems is null ? model.TopItems(new InteractionMask(data, device).Rows, options.TopK) : null;
        using var target = UnlearningTarget.Of(options.Target, model, topItems ?? ownTopItems!);
        var moved = target.Moved;
        double originalRate = OriginalRate(target, groups);
        using var adam = AdamOptimizer.Create(moved, options.LearningRate);
        using var requesterRows = RequesterRows(moved, device);
        double setupSeconds = clock.Elapsed.TotalSeconds, stepSeconds = 0, evalSeconds = 0;

        var checkpoints = new List<UnlearningCheckpoint>();
        int firstStep = 1;
        if (savedStates?.Latest() is { } saved)
        {
            TensorValues.WriteAll(moved, saved.Moved);
            adam.Import(saved.Adam);
            checkpoints.AddRange(saved.Checkpoints);
            (setupSeconds, stepSeconds, evalSeconds) = (saved.SetupSeconds + setupSeconds, saved.StepSeconds, saved.EvalSeconds);
            firstStep = saved.Step + 1;
        }
        RankingMetrics? metrics = checkpoints.LastOrDefault()?.Metrics;
        UnlearningState State(int done) => new(done, checkpoints.ToList(), setupSeconds, stepSeconds, evalSeconds, TensorValues.ReadAll(moved), adam.Export());
        for (int step = firstStep; step <= options.Steps; step++)
        {
            if (ct.IsCancellationRequested)
            {
                savedStates?.Save(State(step - 1));
                ct.ThrowIfCancellationRequested();
            }
            clock.Restart();
            using var scope = NewDisposeScope();
            var termRows = TermSample.Rows(groups.Rows, options.TermSample, step);
            var distinguishability = Distinguishability(groups.Select(target.Representation()), termRows, originalRate);
            var regularisation = RankingMarginLoss.Compute(target.Scores(), options.Margin);
            var total = distinguishability.add(regularisation.mul(Scalars.Of(options.TradeOff)), Scalars.One);
            adam.ZeroGrad();
            total.backward();
            // Zero gradients keep Adam's moments at zero, so a non-requester's rows stay exactly as they were.
            if (requesterRows is not null)
                foreach (var parameter in moved) parameter.grad!.mul_(requesterRows);
            float totalValue = total.item<float>();
            if (!float.IsFinite(totalValue))
                throw new TrainingDivergedException($"unlearning diverged at step {step}: the loss is {totalValue} (lower the learning rate)");
            adam.Step();
            stepSeconds += clock.Elapsed.TotalSeconds;

            if (step % options.EvaluateEvery == 0 || step == options.Steps)
            {
                clock.Restart();
                metrics = evaluator.Evaluate(model);
                evalSeconds += clock.Elapsed.TotalSeconds;
                var checkpoint = new UnlearningCheckpoint(step, totalValue, distinguishability.item<float>(), regularisation.item<float>(), metrics);
                checkpoints.Add(checkpoint);
                progress?.Invoke(new TrainingProgress("unlearn", step, options.Steps, checkpoint.Loss, wall.Elapsed,
                    remaining.After(wall.Elapsed, step, options.Steps),
                    $"step {step}: loss {checkpoint.Loss:G4} HR@10 {metrics.Hr(10):F4} NDCG@10 {metrics.NdcgAt(10):F4}"));
            }
            if (step % CheckpointEvery == 0 && step < options.Steps) savedStates?.Save(State(step));
        }
        return new UnlearningOutcome(checkpoints, metrics ?? evaluator.Evaluate(model), setupSeconds, stepSeconds, evalSeconds);
    }

    private void RequireRequesters()
    {
        UnlearningRequests.Require(options.RequestFraction);
        if (options.RequestFraction < 1 && requested is null)
            throw new ArgumentException($"unlearning.request_fraction={options.RequestFraction} needs the users who asked (UnlearningRequests.Of with the cell's seed)");
        if (options.RequestFraction >= 1 && requested is not null)
            throw new ArgumentException("requesters were given but unlearning.request_fraction is 1 (every user asks): set the fraction they were drawn with");
        if (requested is not null && requested.Length != data.NumUsers)
            throw new ArgumentException($"{requested.Length} request flags for {data.NumUsers} users");
    }

    /// <summary>A [n_users, 1] mask of the requesters, which every moved table's gradient is multiplied by; null where every user asked.</summary>
    private Tensor? RequesterRows(IReadOnlyList<TorchSharp.Modules.Parameter> moved, Device device)
    {
        if (requested is null) return null;
        foreach (var parameter in moved)
            if (parameter.shape[0] != data.NumUsers)
                throw new InvalidOperationException($"a moved parameter of shape [{string.Join(", ", parameter.shape)}] is no user table: partial requests move user rows only");
        using var flags = tensor(requested.Select(r => r ? 1f : 0f).ToArray());
        return flags.reshape(-1, 1).to(moved[0].dtype, device);
    }

    /// <param name="embedding">The representation's rows the term is taken over (the requesters' where only some asked).</param>
    /// <param name="originalRate">The coding rate of the original's same rows (the coding-rate loss keeps it).</param>
    /// <param name="groupRows">Each group's rows of <paramref name="embedding"/> the term is taken over (all, or this step's sample).</param>
    private Tensor Distinguishability(Tensor embedding, IReadOnlyList<Tensor> groupRows, double originalRate) => loss switch
    {
        UnlearningLoss.DistributionToDistribution => MultiKernelMmd.AcrossGroups(embedding, groupRows),
        UnlearningLoss.UserToUser => U2ULoss.AcrossGroups(embedding, groupRows),
        UnlearningLoss.CodingRate => CodingRate.Loss(embedding, groupRows, options.CodingRateEpsilon, options.CodingRateLambda, originalRate),
        _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, "no distinguishability term for this loss"),
    };

    /// <summary>R of the original's representation (the target's, before any step; the requesters' rows of it), for the coding-rate
    /// loss (NaN for the others, which do not read it).</summary>
    private double OriginalRate(IUnlearningTarget target, GroupIndex groups)
    {
        if (loss != UnlearningLoss.CodingRate) return double.NaN;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return CodingRate.Rate(groups.Select(target.Representation()), options.CodingRateEpsilon).item<double>();
    }
}
