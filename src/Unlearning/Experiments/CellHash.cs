using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Unlearning.Experiments;

/// <summary>
/// A cell's config hash: the identity under which its results are stored and reused. It is SHA-256
/// of one canonical JSON text, written here field by field from a frozen layout rather than by
/// serialising the options records, so that the records can change shape and a new option can be
/// added without touching the hash of any stored cell:
/// <list type="bullet">
/// <item>the spec (dataset, model, method, profile expression, seed);</item>
/// <item>the profile in layout 1, the options as they stood when the layout was frozen (engine
/// revision 5), in that order; three of them (<c>data.validation_split</c>,
/// <c>training.pairwise</c>, <c>training.embedding_decay</c>) only where not at their default, as
/// they were written then;</item>
/// <item>every option added since, only where it differs from its default, as one canonical
/// expression (<c>"Extensions"</c>): an option added at its default changes no hash, by construction;</item>
/// <item>the dataset's content hash and the engine revision; for an attribute of more than two
/// groups, a marker (their attack became multi-class and U2U's loss a sum over all pairs).</item>
/// </list>
/// </summary>
public static class CellHash
{
    private sealed record Field(string Json, string Key, bool OnlyWhenSet = false);

    /// <summary>Layout 1: sections and fields in the order of the options records at engine revision 5.</summary>
    private static readonly (string Section, Field[] Fields)[] Layout =
    [
        ("Data", [new("MinInteractions", "data.min_interactions"), new("MinItemInteractions", "data.min_item_interactions"), new("Seed", "data.seed"),
            new("NegativeCandidates", "data.negative_candidates"), new("ValidationSplit", "data.validation_split", OnlyWhenSet: true),
            new("AttributeColumn", "data.attribute_column"), new("Synthetic", Synthetic)]),
        ("Training", [new("Epochs", "training.epochs"), new("BatchSize", "training.batch_size"), new("Negatives", "training.negatives"),
            new("LearningRate", "training.learning_rate"), new("RetrainTradeOff", "training.retrain_trade_off"), new("RetrainEvery", "training.retrain_every"),
            new("AdversaryReversalScale", "training.adversary_reversal_scale"), new("AdversaryHidden", "training.adversary_hidden"),
            new("AdversaryWeight", "training.adversary_weight"), new("Pairwise", "training.pairwise", OnlyWhenSet: true),
            new("EmbeddingDecay", "training.embedding_decay", OnlyWhenSet: true), new("SelectionCutoff", "training.selection_cutoff")]),
        ("Unlearning", [new("Steps", "unlearning.steps"), new("LearningRate", "unlearning.learning_rate"), new("EvaluateEvery", "unlearning.evaluate_every"),
            new("TradeOff", "unlearning.trade_off"), new("TopK", "unlearning.top_k"), new("Margin", "unlearning.margin")]),
        ("NeuMF", [new("GmfDim", "ncf.gmf_dim"), new("MlpEmbeddingDim", "ncf.mlp_embedding_dim"), new("MlpLayers", "ncf.mlp_layers"), new("EmbeddingStd", "ncf.embedding_std")]),
        ("LightGcn", [new("Dim", "lightgcn.dim"), new("Layers", "lightgcn.layers"), new("EmbeddingStd", "lightgcn.embedding_std"),
            new("DensePropagationMaxNodes", "lightgcn.dense_propagation_max_nodes")]),
        ("Attack", [new("Folds", "attack.folds"), new("Repeats", "attack.repeats"), new("Seed", AttackSeed)]),
        ("MlpAttacker", [new("Hidden", "mlp_attacker.hidden"), new("LearningRate", "mlp_attacker.learning_rate"), new("MaxBatch", "mlp_attacker.max_batch"),
            new("Alpha", "mlp_attacker.alpha"), new("MaxEpochs", "mlp_attacker.max_epochs"), new("Tolerance", "mlp_attacker.tolerance"),
            new("NoImprovementEpochs", "mlp_attacker.no_improvement_epochs"), new("Beta1", "mlp_attacker.beta1"), new("Beta2", "mlp_attacker.beta2"),
            new("Epsilon", "mlp_attacker.epsilon")]),
        ("TreeAttacker", [new("NumberOfLeaves", "tree_attacker.number_of_leaves"), new("NumberOfTrees", "tree_attacker.number_of_trees"),
            new("LearningRate", "tree_attacker.learning_rate"), new("MinimumExampleCountPerLeaf", "tree_attacker.minimum_example_count_per_leaf"),
            new("NumberOfThreads", "tree_attacker.number_of_threads")]),
    ];

    // Two fields of layout 1 that are no settings: the generator's options (no profile sets them) and
    // the attack's seed (the cell's seed replaces it when the attack runs).
    private const string Synthetic = "<data.synthetic>", AttackSeed = "<attack.seed>";

    private static readonly HashSet<string> LayoutKeys = Layout.SelectMany(s => s.Fields.Select(f => f.Key)).ToHashSet(StringComparer.Ordinal);

    /// <summary>The settings added since layout 1, which enter a hash only where they differ from their default.</summary>
    public static IReadOnlyList<string> Extensions { get; } = ProfileSettings.Keys.Where(k => !LayoutKeys.Contains(k)).ToList();

    /// <param name="groups">The attribute's number of groups (more than two: the multi-class marker).</param>
    public static string Of(CellSpec spec, ExperimentProfile profile, string datasetHash, int engineRevision, int groups = 2) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(spec, profile, datasetHash, engineRevision, groups))));

    /// <summary>The text that is hashed.</summary>
    public static string Canonical(CellSpec spec, ExperimentProfile profile, string datasetHash, int engineRevision, int groups = 2)
    {
        var json = new StringBuilder("{\"spec\":{");
        json.Append($"\"Dataset\":{J(spec.Dataset)},\"Model\":{J(spec.Model)},\"Method\":{J(spec.Method)},\"Profile\":{J(spec.Profile)},\"Seed\":{J(spec.Seed)}}}");
        json.Append($",\"profile\":{{\"Name\":{J(profile.Name)}");
        foreach (var (section, fields) in Layout)
        {
            var written = fields.Select(f => (f.Json, Value: ValueOf(profile, f.Key), f.OnlyWhenSet))
                .Where(f => !f.OnlyWhenSet || !IsDefault(f.Value)).Select(f => $"{J(f.Json)}:{J(f.Value)}");
            json.Append($",{J(section)}:{{{string.Join(',', written)}}}");
        }
        json.Append($",\"DeviatesFromPaper\":{J(profile.DeviatesFromPaper)}");
        var paper = ExperimentProfile.Named("paper");
        var extensions = Extensions.Where(k => ProfileSettings.Format(ProfileSettings.Read(profile, k)) != ProfileSettings.Format(ProfileSettings.Read(paper, k)))
            .Select(k => $"{k}={ProfileSettings.Format(ProfileSettings.Read(profile, k))}").ToList();
        if (extensions.Count > 0) json.Append($",\"Extensions\":{J(string.Join(ProfileSettings.Separator, extensions))}");
        json.Append($"}},\"datasetHash\":{J(datasetHash)},\"engineRevision\":{J(engineRevision)}");
        if (groups > 2) json.Append($",\"groups\":{J("multi-class attack; u2u over all pairs of groups")}");
        return json.Append('}').ToString();
    }

    private static object? ValueOf(ExperimentProfile profile, string key) => key switch
    {
        Synthetic => profile.Data.Synthetic,
        AttackSeed => profile.Attack.Seed,
        _ => ProfileSettings.Read(profile, key),
    };

    private static bool IsDefault(object? value) => value is null or false or 0 or 0.0;

    /// <summary>A value as System.Text.Json writes it inside a record (the layout's texts were written so).</summary>
    private static string J(object? value) => JsonSerializer.Serialize(value, value?.GetType() ?? typeof(object));
}
