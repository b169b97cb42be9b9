using Unlearning.Experiments;

namespace Unlearning.Plots;

/// <summary>A finished cell as the plots see it: its spec and where its result.json is, when known.</summary>
public sealed record PlottedCell(CellSpec Cell, string? ResultPath);
