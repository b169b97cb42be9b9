using Unlearning.Metrics;
using Unlearning.Storage;
using Unlearning.Util;

namespace Unlearning.Training;

/// <summary>Where a long computation keeps its latest state, to continue from it after an
/// interruption (the cell's artifact store, in a cell).</summary>
public interface ICheckpoints<T> where T : class
{
    /// <summary>The latest saved state, or null to start from the beginning.</summary>
    T? Latest();

    void Save(T state);
}

/// <summary>A training run between two mini-batches: the next epoch and batch to run, everything
/// learned so far, and the optimiser. Each epoch's sample is drawn from a generator seeded with
/// (seed, epoch), so nothing random needs saving: a resumed run draws what an undisturbed one would.</summary>
public sealed record TrainingState(
    int Epoch, int NextBatch, long Step, float LossSum,
    List<EpochRecord> Epochs, int BestEpoch, RankingMetrics? BestMetrics,
    double TrainSeconds, double EvalSeconds,
    float[][] Parameters, float[][]? BestParameters, AdamState Adam)
{
    public string Describe(int totalEpochs) => NextBatch == 0
        ? $"after epoch {Epoch} of {totalEpochs} (step {Step})"
        : $"in epoch {Epoch + 1} of {totalEpochs} at batch {NextBatch} (step {Step})";

    private sealed record Header(int Epoch, int NextBatch, long Step, float LossSum, List<EpochRecord> Epochs, int BestEpoch,
        RankingMetrics? BestMetrics, double TrainSeconds, double EvalSeconds, int Parameters, int BestParameters, long AdamStep);

    public void Write(string path)
    {
        var arrays = Parameters.Concat(BestParameters ?? []).Concat(Adam.FirstMoments).Concat(Adam.SecondMoments).ToList();
        CheckpointFile.Write(path, new Header(Epoch, NextBatch, Step, LossSum, Epochs, BestEpoch, BestMetrics, TrainSeconds, EvalSeconds,
            Parameters.Length, BestParameters?.Length ?? 0, Adam.Step), arrays);
    }

    public static TrainingState Read(string path)
    {
        var (h, arrays) = CheckpointFile.Read<Header>(path);
        int n = h.Parameters, expected = 3 * n + h.BestParameters;
        if (arrays.Length != expected) throw new InvalidDataException($"{path}: {arrays.Length} arrays, expected {expected}");
        int at = 0;
        float[][] Take(int count) { var part = arrays[at..(at + count)]; at += count; return part; }
        var parameters = Take(n);
        var best = h.BestParameters > 0 ? Take(h.BestParameters) : null;
        var adam = new AdamState(h.AdamStep, Take(n), Take(n));
        return new TrainingState(h.Epoch, h.NextBatch, h.Step, h.LossSum, h.Epochs, h.BestEpoch, h.BestMetrics, h.TrainSeconds, h.EvalSeconds,
            parameters, best, adam);
    }
}

/// <summary>Post-training unlearning after <see cref="Step"/> steps: the attacked embedding, the
/// optimiser, and the evaluations so far.</summary>
public sealed record UnlearningState(
    int Step, List<UnlearningCheckpoint> Checkpoints, double SetupSeconds, double StepSeconds, double EvalSeconds,
    float[] Embedding, AdamState Adam)
{
    public string Describe(int totalSteps) => $"after step {Step} of {totalSteps}";

    private sealed record Header(int Step, List<UnlearningCheckpoint> Checkpoints, double SetupSeconds, double StepSeconds, double EvalSeconds, long AdamStep);

    public void Write(string path) =>
        CheckpointFile.Write(path, new Header(Step, Checkpoints, SetupSeconds, StepSeconds, EvalSeconds, Adam.Step),
            [Embedding, .. Adam.FirstMoments, .. Adam.SecondMoments]);

    public static UnlearningState Read(string path)
    {
        var (h, arrays) = CheckpointFile.Read<Header>(path);
        if (arrays.Length != 3) throw new InvalidDataException($"{path}: {arrays.Length} arrays, expected 3");
        return new UnlearningState(h.Step, h.Checkpoints, h.SetupSeconds, h.StepSeconds, h.EvalSeconds, arrays[0],
            new AdamState(h.AdamStep, [arrays[1]], [arrays[2]]));
    }
}

/// <summary>The loss became NaN or infinite: the cell fails naming where, instead of writing NaN into the tables.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
