namespace Unlearning.Experiments;

/// <summary>A stored user representation to attack: a name for the table, what it holds, and its .npy file.</summary>
public sealed record AttackView(string Name, string Description, string Path);
