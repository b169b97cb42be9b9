using System.Text.Json.Serialization;

namespace Unlearning.Training;

/// <summary>Pointwise training (protocol.md section 3); defaults are the paper's.</summary>
public sealed record TrainingOptions : Unlearning.Util.OptionsSection
{
    public int Epochs { get; init; } = 25;
    public int BatchSize { get; init; } = 256;
    public int Negatives { get; init; } = 4;
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>retrain: weight of the MMD fairness term.</summary>
    public double RetrainTradeOff { get; init; } = 1.0;

    /// <summary>retrain: the MMD term is added on every this-many-th optimiser step (from step 0).</summary>
    public int RetrainEvery { get; init; } = 50;

    /// <summary>adv: gradient-reversal scale, adversary width and loss weight.</summary>
    public double AdversaryReversalScale { get; init; } = 0.5;
    public int AdversaryHidden { get; init; } = 16;
    public double AdversaryWeight { get; init; } = 1.0;

    /// <summary>BPR, as LightGCN's public code trains: -log sigmoid(s(u, i) - s(u, j)) for every training
    /// pair (u, i) with one item j drawn from outside u's training set, instead of the protocol's
    /// pointwise BCE over each pair and <see cref="Negatives"/> sampled negatives (which BPR ignores).
    /// Off: the paper's protocol.</summary>
    public bool Pairwise { get; init; }

    /// <summary>L2 on the layer-0 embedding rows of the batch's users and items (positives and
    /// negatives), decay / 2 x their squared norms / batch size, as LightGCN's public code regularises
    /// (its decay is 1e-4). 0: none, the paper's protocol (Adam without weight decay).</summary>
    public double EmbeddingDecay { get; init; }

    /// <summary>Training rows per epoch: each pair once for BPR (its negative travels with it), each
    /// pair and its negatives for BCE.</summary>
    [JsonIgnore]
    public int RowsPerPair => Pairwise ? 1 : Negatives + 1;

    /// <summary>Keep the epoch with the best HR@10 on the test candidates (the published protocol).</summary>
    public int SelectionCutoff { get; init; } = 10;
}

