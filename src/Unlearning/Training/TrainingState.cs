using Unlearning.Metrics;
using Unlearning.Storage;
using Unlearning.Util;

namespace Unlearning.Training;

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
