namespace Unlearning.Attack;

/// <summary>The threat models of an attack (<c>attack.threat</c>): what the attacker trains on.</summary>
public static class AttackThreat
{
    /// <summary>The paper's: stratified k-fold on the published representations.</summary>
    public const string Paper = "paper";

    /// <summary>The attacker was trained before unlearning: the same folds, its training rows taken from
    /// the Original's representations, its test rows from the unlearned ones.</summary>
    public const string Stale = "stale";

    /// <summary>Some users made the attribute public: the attacker trains on them and predicts everyone else.</summary>
    public const string Disclosed = "disclosed";

    public static readonly string[] All = [Paper, Stale, Disclosed];

    /// <summary>Throws naming the setting where the threat or the disclosed share is not one this engine knows.</summary>
    public static void Require(AttackOptions options)
    {
        if (!All.Contains(options.Threat))
            throw new ArgumentException($"attack.threat must be {string.Join(", ", All)}, got '{options.Threat}'");
        if (!(options.DisclosedFraction > 0 && options.DisclosedFraction < 1))
            throw new ArgumentException($"attack.disclosed_fraction must be between 0 and 1 (exclusive), got {options.DisclosedFraction}");
    }
}
