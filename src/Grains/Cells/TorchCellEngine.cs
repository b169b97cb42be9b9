using Unlearning.Experiments;
using Unlearning.Training;

namespace Unlearning.Grains;

/// <summary>The real engine: <see cref="CellRunner"/> on this silo's data and artifact store, one TorchSharp thread.</summary>
public sealed class TorchCellEngine(StorageOptions storage) : ICellEngine
{
    public CellOutcome Run(CellRequest request, string device, Action<TrainingProgress> progress, CancellationToken ct)
    {
        var settings = new EngineSettings { DataDir = storage.Data, OutDir = storage.Artifacts, Device = device, Threads = 1, TrainMissingOriginal = false };
        var runner = new CellRunner(settings, p => progress(p.Report));
        var (result, reused) = runner.RunOrReuse(request.Cell, ct);
        var summary = new CellSummary(result.Recommendation,
            result.Attacks.ToDictionary(a => a.Attacker, a => new AttackSummary(a.Mean.Accuracy, a.Mean.Precision, a.Mean.Recall, a.Mean.Auc, a.Mean.Leakage, a.Degenerate)),
            result.Timing.MethodSeconds, result.Timing.WallSeconds, result.Device, result.RecommendationByGroup);
        var strongest = result.Ladder?.Strongest is { } s ? new StrongestSummary(s.Leakage, s.Attacker, s.View, s.Threat) : null;
        return new CellOutcome(summary with { Strongest = strongest }, result.ResultPath, reused, result.Timing.WallSeconds);
    }
}
