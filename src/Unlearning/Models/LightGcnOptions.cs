using Unlearning.Util;

namespace Unlearning.Models;

/// <summary>Options of LightGCN; defaults are protocol.md section 2.</summary>
public sealed record LightGcnOptions : OptionsSection
{
    public int Dim { get; init; } = 64;
    public int Layers { get; init; } = 3;
    public double EmbeddingStd { get; init; } = 0.1;

    /// <summary>Keep the dense propagation matrix P when the graph has at most this many nodes
    /// (P takes nodes² x 4 bytes); otherwise propagate with a sparse adjacency.</summary>
    public int DensePropagationMaxNodes { get; init; } = 12_000;
}
