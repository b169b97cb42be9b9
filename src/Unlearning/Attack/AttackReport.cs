namespace Unlearning.Attack;

/// <summary>An attacker's metrics over all folds of all repeats.</summary>
/// <param name="Attacker">The attacker's name.</param>
/// <param name="Mean">Fold-averaged metrics (its Leakage is |mean AUC - 0.5|).</param>
/// <param name="Std">Population standard deviation over the folds.</param>
/// <param name="BalancedUsers">Rows left after balancing the classes.</param>
/// <param name="Folds">Folds evaluated (folds x repeats).</param>
public sealed record AttackReport(string Attacker, ClassificationMetrics Mean, ClassificationMetrics Std, int BalancedUsers, int Folds);
