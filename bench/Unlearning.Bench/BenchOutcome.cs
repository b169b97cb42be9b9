using Unlearning.Experiments;

namespace Unlearning.Bench;

/// <summary>One benchmarked cell: its result, or why it has none.</summary>
/// <param name="GpuPeakBytes">The most GPU memory in use while the cell ran (<see cref="GpuPeak"/>); null on the CPU.</param>
public sealed record BenchOutcome(CellSpec Cell, CellResult? Result, string? Error, double ProcessSeconds, long? GpuPeakBytes = null);
