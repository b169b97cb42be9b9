namespace Unlearning.Experiments;

/// <summary>Table 2's figure is <see cref="MethodSeconds"/>: the training epochs (original, retrain,
/// adv) or the unlearning steps plus their set-up (u2u, d2d), evaluation excluded. <see cref="AttackSeconds"/>
/// is the protocol's attack (Table 3); <see cref="LadderSeconds"/> the attack ladder after it, where the
/// cell climbed one (<c>attack.ladder=true</c>; null otherwise and in results stored before it existed).</summary>
public sealed record CellTiming(
    double MethodSeconds,
    double SecondsPerUnit,
    string Unit,
    double EvaluationSeconds,
    double AttackSeconds,
    double DataSeconds,
    double WallSeconds,
    long PeakWorkingSetBytes,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] double? LadderSeconds = null);
