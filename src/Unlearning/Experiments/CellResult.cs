using System.Text.Json;
using System.Text.Json.Serialization;
using Unlearning.Attack;
using Unlearning.Metrics;

namespace Unlearning.Experiments;

/// <summary>Everything a cell measured: Table 1 (recommendation), Table 2 (time), Table 3 (attacks),
/// plus histories, provenance and artifact paths. Serialised as result.json.</summary>
public sealed record CellResult
{
    public const string FileName = "result.json";

    public required CellSpec Cell { get; init; }
    public required string DatasetLabel { get; init; }
    public required bool ProfileDeviatesFromPaper { get; init; }
    /// <summary>Each setting of the cell's profile that differs from the paper's: "training.epochs=5 (paper 25)".</summary>
    public List<string> DifferencesFromPaper { get; init; } = [];
    public required string ConfigHash { get; init; }
    public required string DatasetHash { get; init; }
    public required DatasetSummary DatasetSummary { get; init; }

    /// <summary>"hr@5", "ndcg@5", ... "hr@20", "ndcg@20" of the final model.</summary>
    public required Dictionary<string, double> Recommendation { get; init; }
    /// <summary>The same metrics for each attribute group's users (by the group's value), from the final
    /// model's test ranking; null in results stored before they were kept.</summary>
    public Dictionary<string, Dictionary<string, double>>? RecommendationByGroup { get; init; }
    public required List<AttackReport> Attacks { get; init; }
    /// <summary>The attack ladder and its strongest rung, where the cell climbed one (<c>attack.ladder=true</c>);
    /// null otherwise, and in results stored before it existed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AttackLadder? Ladder { get; init; }
    public required CellTiming Timing { get; init; }

    public int? BestEpoch { get; init; }
    public List<EpochSummary> Epochs { get; init; } = [];
    public List<StepSummary> UnlearningCheckpoints { get; init; } = [];

    public required string Device { get; init; }
    public required string Machine { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    public string? OriginalConfigHash { get; init; }

    /// <summary>Where this run continued from a checkpoint ("after epoch 3 of 25 (step 1200)"); null: from the start.</summary>
    public string? ResumedFrom { get; init; }
    public bool OriginalReused { get; init; }
    public required string ModelPath { get; init; }
    public required string EmbeddingsPath { get; init; }
    /// <summary>The full user representation; null in results stored before it was kept.</summary>
    public string? RepresentationPath { get; init; }
    /// <summary>Each user's attribute value (<see cref="Attack.UserLabels"/>); null in results stored before it was kept.</summary>
    public string? UserGroupsPath { get; init; }

    /// <summary>Where this result is stored: beside the model.</summary>
    [JsonIgnore]
    public string ResultPath => Path.Combine(Path.GetDirectoryName(ModelPath)!, FileName);

    public double Metric(string name) => Recommendation.TryGetValue(name, out var v) ? v : double.NaN;

    public static Dictionary<string, double> Flatten(RankingMetrics metrics)
    {
        var d = new Dictionary<string, double>();
        foreach (var k in RankingMetrics.Cutoffs)
        {
            d[$"hr@{k}"] = metrics.Hr(k);
            d[$"ndcg@{k}"] = metrics.NdcgAt(k);
        }
        return d;
    }

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json));
        File.Move(temp, path, overwrite: true);
    }

    public static CellResult Load(string path) =>
        JsonSerializer.Deserialize<CellResult>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path}: empty result");

    /// <summary>A stored result with its artifacts' paths pointing beside <paramref name="path"/>, its
    /// result.json, wherever the store is mounted here (the paths inside are the silo's). An artifact
    /// added beside an older result (the users' attributes, when the cell was reused) is found too.
    /// Every file its readers use (the attack, the plots, the benchmark) is checked against its checksum
    /// first (<see cref="Storage.ArtifactChecksum"/>): a damaged or half-copied cell throws
    /// <see cref="InvalidDataException"/> naming the file. The model, which none of them loads and
    /// which is large, is not read here.</summary>
    public static CellResult LoadBeside(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string Here(string stored) => Verified(Path.Combine(folder, Path.GetFileName(stored)));
        string? Optional(string? stored, string name) =>
            stored is not null ? Here(stored) : File.Exists(Path.Combine(folder, name)) ? Verified(Path.Combine(folder, name)) : null;
        Storage.ArtifactChecksum.Require(Path.GetFullPath(path));
        CellResult result;
        try
        {
            result = Load(path);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a cell result this version can read ({e.Message})", e);
        }
        return result with
        {
            ModelPath = Path.Combine(folder, Path.GetFileName(result.ModelPath)),
            EmbeddingsPath = Here(result.EmbeddingsPath),
            RepresentationPath = Optional(result.RepresentationPath, Storage.ArtifactNames.Representation),
            UserGroupsPath = Optional(result.UserGroupsPath, Storage.ArtifactNames.UserGroups),
        };
    }

    /// <summary>A present artifact must match its checksum; an absent one is left to its reader to name.</summary>
    private static string Verified(string path) => File.Exists(path) ? Storage.ArtifactChecksum.Require(path) : path;
}
