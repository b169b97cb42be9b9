using Unlearning.Util;

namespace Unlearning.Models;

/// <summary>Options of NeuMF; defaults are protocol.md section 2.</summary>
public sealed record NeuMFOptions : OptionsSection
{
    public int GmfDim { get; init; } = 32;
    public int MlpEmbeddingDim { get; init; } = 128;
    public int[] MlpLayers { get; init; } = [128, 64, 32];
    public double EmbeddingStd { get; init; } = 0.01;
}
