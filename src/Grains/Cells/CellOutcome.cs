namespace Unlearning.Grains;

/// <summary>A finished cell as its engine hands it back: the values the grid carries, where the result lies, whether it was reused.</summary>
public sealed record CellOutcome(CellSummary Summary, string ResultPath, bool Reused, double WallSeconds);
