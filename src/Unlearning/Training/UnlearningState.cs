using Unlearning.Storage;
using Unlearning.Util;

namespace Unlearning.Training;

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
