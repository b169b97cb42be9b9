using Unlearning.Storage;
using Unlearning.Util;

namespace Unlearning.Training;

/// <summary>Post-training unlearning after <see cref="Step"/> steps: every parameter it moves (the
/// attacked embedding alone under the paper's target), the optimiser, and the evaluations so far.</summary>
public sealed record UnlearningState(
    int Step, List<UnlearningCheckpoint> Checkpoints, double SetupSeconds, double StepSeconds, double EvalSeconds,
    float[][] Moved, AdamState Adam)
{
    public string Describe(int totalSteps) => $"after step {Step} of {totalSteps}";

    private sealed record Header(int Step, List<UnlearningCheckpoint> Checkpoints, double SetupSeconds, double StepSeconds, double EvalSeconds, long AdamStep);

    public void Write(string path) =>
        CheckpointFile.Write(path, new Header(Step, Checkpoints, SetupSeconds, StepSeconds, EvalSeconds, Adam.Step),
            [.. Moved, .. Adam.FirstMoments, .. Adam.SecondMoments]);

    public static UnlearningState Read(string path)
    {
        var (h, arrays) = CheckpointFile.Read<Header>(path);
        // Each moved parameter, then its first moments, then its second moments (one table: 3 arrays).
        if (arrays.Length == 0 || arrays.Length % 3 != 0) throw new InvalidDataException($"{path}: {arrays.Length} arrays, expected 3 per moved parameter");
        int moved = arrays.Length / 3;
        return new UnlearningState(h.Step, h.Checkpoints, h.SetupSeconds, h.StepSeconds, h.EvalSeconds, arrays[..moved],
            new AdamState(h.AdamStep, arrays[moved..(2 * moved)], arrays[(2 * moved)..]));
    }
}
