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
}
