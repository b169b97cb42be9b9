using Unlearning.Experiments;
namespace Unlearning.Grains;

public enum CellState
{
    /// <summary>Known to the grid, not started.</summary>
    Pending,
    /// <summary>Waiting for an input cell (u2u / d2d wait for original).</summary>
    WaitingForInputs,
    /// <summary>Started, waiting for a free device slot on its silo.</summary>
    Queued,
    Running,
    Done,
    Failed,
}

/// <summary>Live state of a cell: where it runs, how far it is, and how it ended. The timestamps are
/// taken on the cell's silo except <c>ReadyAt</c> (the grid's: its inputs were found done): <c>QueuedAt</c> when the cell was handed to the silo's executor,
/// <c>StartedAt</c> when it took device slot <c>Slot</c>, <c>FinishedAt</c> when the engine returned
/// (before the slot is freed). <c>Attempt</c> counts the silos the cell was started on (1 unless a
/// silo was lost under it); <c>ResumedFrom</c> says where the latest attempt continued from a checkpoint.</summary>
[GenerateSerializer, Immutable, Alias("Unlearning.CellStatus")]
public sealed record CellStatus(
    [property: Id(0)] CellSpec Cell,
    [property: Id(1)] CellState State,
    [property: Id(2)] string? Silo = null,
    [property: Id(3)] string? Phase = null,
    [property: Id(4)] int Position = 0,
    [property: Id(5)] int Total = 0,
    [property: Id(6)] double Loss = double.NaN,
    [property: Id(7)] double? EtaSeconds = null,
    [property: Id(8)] string? Detail = null,
    [property: Id(9)] string? Error = null,
    [property: Id(10)] bool Reused = false,
    [property: Id(11)] string? ResultPath = null,
    [property: Id(13)] int WaitingOnSilo = 0,
    [property: Id(14)] DateTimeOffset? StartedAt = null,
    [property: Id(15)] DateTimeOffset? FinishedAt = null,
    [property: Id(16)] CellSummary? Result = null,
    [property: Id(17)] DateTimeOffset? QueuedAt = null,
    [property: Id(18)] int? Slot = null,
    [property: Id(19)] string? ResumedFrom = null,
    [property: Id(20)] int Attempt = 0,
    [property: Id(21)] DateTimeOffset? ReadyAt = null)
{
    public bool IsFinished => State is CellState.Done or CellState.Failed;

    /// <summary>Seconds from taking the slot to finishing, once both are known.</summary>
    // A method rather than a property: serialisers walk properties.
    public double? SlotSeconds() => FinishedAt - StartedAt is { } span ? span.TotalSeconds : null;
}

/// <summary>A finished cell's Table 1-3 values, carried in grain messages so that a report needs
/// no access to the silos' disks. Attack metrics by attacker name ("MLP", "Tree"); recommendation
/// metrics also by attribute group (null for results stored before they were kept); the strongest rung of
/// the cell's attack ladder where it climbed one (<c>attack.ladder=true</c>; null otherwise).</summary>
[GenerateSerializer, Immutable, Alias("Unlearning.CellSummary")]
public sealed record CellSummary(
    [property: Id(0)] Dictionary<string, double> Recommendation,
    [property: Id(1)] Dictionary<string, AttackSummary> Attacks,
    [property: Id(2)] double MethodSeconds,
    [property: Id(3)] double WallSeconds,
    [property: Id(4)] string Device,
    [property: Id(5)] Dictionary<string, Dictionary<string, double>>? RecommendationByGroup = null,
    [property: Id(6)] StrongestSummary? Strongest = null);

/// <summary>The strongest rung of a cell's attack ladder: its mean leakage |AUC - 0.5| and the attacker
/// ("kNN"), view ("attacked", "full") and threat ("paper", "stale", "disclosed") that reached it.</summary>
[GenerateSerializer, Immutable, Alias("Unlearning.StrongestSummary")]
public sealed record StrongestSummary(
    [property: Id(0)] double Leakage,
    [property: Id(1)] string Attacker,
    [property: Id(2)] string View,
    [property: Id(3)] string Threat);

/// <summary>One attacker's fold-averaged metrics on a finished cell (macro averages for more than two groups).</summary>
/// <param name="Leakage">|AUC - 0.5| for two groups, the largest |AUC - 0.5| of the groups' one-vs-rest
/// AUCs for more; null in runs stored before it was kept (they had two groups: |AUC - 0.5|).</param>
/// <param name="Degenerate">Where the attacker predicted one class for every user of a fold, what the
/// tables say of it ("predicted one class for every user in 15 of 15 folds"); null otherwise.</param>
[GenerateSerializer, Immutable, Alias("Unlearning.AttackSummary")]
public sealed record AttackSummary(
    [property: Id(0)] double Accuracy,
    [property: Id(1)] double Precision,
    [property: Id(2)] double Recall,
    [property: Id(3)] double Auc,
    [property: Id(4)] double? Leakage = null,
    [property: Id(5)] string? Degenerate = null);

/// <summary>The grid's cells and its own bookkeeping overhead.</summary>
[GenerateSerializer, Immutable, Alias("Unlearning.GridStatus")]
public sealed record GridStatus(
    [property: Id(0)] string RunId,
    [property: Id(1)] IReadOnlyList<CellStatus> Cells,
    [property: Id(2)] DateTimeOffset StartedAt,
    [property: Id(3)] DateTimeOffset? FinishedAt)
{
    public bool IsFinished => Cells.Count > 0 && Cells.All(c => c.IsFinished);
    public int Count(CellState state) => Cells.Count(c => c.State == state);
}
