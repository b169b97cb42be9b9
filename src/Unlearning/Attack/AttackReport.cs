namespace Unlearning.Attack;

/// <summary>An attacker's metrics over all folds of all repeats.</summary>
/// <param name="Attacker">The attacker's name.</param>
/// <param name="Mean">Fold-averaged metrics (its Leakage is |mean AUC - 0.5|).</param>
/// <param name="Std">Population standard deviation over the folds.</param>
/// <param name="BalancedUsers">Rows left after balancing the classes.</param>
/// <param name="Folds">Folds evaluated (folds x repeats).</param>
/// <param name="SingleClassFolds">Folds in which the attacker predicted one class for every test user
/// (<see cref="DegenerateAttacker"/>); null in results stored before they were counted.</param>
public sealed record AttackReport(string Attacker, ClassificationMetrics Mean, ClassificationMetrics Std, int BalancedUsers, int Folds, int? SingleClassFolds = null)
{
    /// <summary>What a table says of this attacker where it is degenerate; null where it is not.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Degenerate => DegenerateAttacker.Note(SingleClassFolds, Folds, Mean);
}
