using Unlearning.Training;

namespace Unlearning.Experiments;

/// <summary>Progress of one cell: which cell, and the engine's report.</summary>
public sealed record CellProgress(CellSpec Cell, TrainingProgress Report);
