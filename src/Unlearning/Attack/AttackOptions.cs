namespace Unlearning.Attack;

/// <summary>Repeated stratified k-fold evaluation of an attacker (protocol section 6).</summary>
public sealed record AttackOptions : Unlearning.Util.OptionsSection
{
    /// <summary>Folds per repeat.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Repeats of the k-fold split, each with its own shuffle.</summary>
    public int Repeats { get; init; } = 3;

    /// <summary>Seeds the class balancing, every split and every attacker fit.</summary>
    public int Seed { get; init; } = 2023;

    /// <summary>What the attacker knows (<see cref="AttackThreat"/>): <c>paper</c> (cross-validation on the
    /// published representations, the protocol's), <c>stale</c> (trained on the Original's representations,
    /// before unlearning, and applied to the held-out users' unlearned ones) or <c>disclosed</c> (trained on
    /// the users who made the attribute public, <see cref="DisclosedFraction"/> of them, predicting the rest).</summary>
    public string Threat { get; init; } = AttackThreat.Paper;

    /// <summary>Share of the (balanced) users of each group whose attribute is public under the <c>disclosed</c> threat.</summary>
    public double DisclosedFraction { get; init; } = 0.2;

    /// <summary>After the protocol's attack, a cell also climbs the attack ladder
    /// (<see cref="Experiments.AttackLadder"/>): every catalog attacker on the attacked and the full
    /// representation under every threat that applies, and keeps the strongest. Off by default: at
    /// its default it enters no config hash.</summary>
    public bool Ladder { get; init; }
}
