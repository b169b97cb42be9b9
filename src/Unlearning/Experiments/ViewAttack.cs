using Unlearning.Attack;

namespace Unlearning.Experiments;

/// <summary>The attackers' reports on one view.</summary>
public sealed record ViewAttack(AttackView View, int Dim, int Users, IReadOnlyList<AttackReport> Reports);
