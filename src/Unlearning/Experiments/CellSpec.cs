using System.Text.Json.Serialization;

namespace Unlearning.Experiments;

/// <summary>One cell of Tables 1-3: a dataset x model x method, under a profile and a seed.</summary>
public sealed record CellSpec(string Dataset, string Model, string Method, string Profile = "paper", int Seed = 2023)
{
    public static readonly string[] Models = ["ncf", "lightgcn"];
    public static readonly string[] Methods = ["original", "u2u", "d2d", "retrain", "adv"];
    public static readonly string[] PaperDatasets = ["ml-100k", "ml-1m", "lfm-2b"];

    /// <summary>u2u and d2d start from the original model of the same dataset and model.</summary>
    [JsonIgnore]
    public bool NeedsOriginal => Method is "u2u" or "d2d";

    [JsonIgnore]
    public CellSpec OriginalCell => this with { Method = "original", Profile = ProfileSettings.ForOriginal(Profile) };

    /// <summary>The spec without the unlearning settings where the method trains: they would change
    /// its hash and not its numbers, and a sweep of them would train one original per value.</summary>
    public CellSpec WithoutUnusedSettings() => NeedsOriginal ? this : this with { Profile = ProfileSettings.ForOriginal(Profile) };

    [JsonIgnore]
    public string Id => $"{Dataset}/{Model}/{Method}/{Profile}/seed{Seed}";

    /// <summary>Canonical lower-case names; throws naming the bad value.</summary>
    public CellSpec Validate()
    {
        var spec = this with
        {
            Dataset = Dataset.Trim().ToLowerInvariant(),
            Model = Model.Trim().ToLowerInvariant() switch { "nmf" or "neumf" => "ncf", var m => m },
            Method = Method.Trim().ToLowerInvariant() switch { "u2u-r" => "u2u", "d2d-r" => "d2d", "adv-int" => "adv", var m => m },
            Profile = Profile.Trim(),
        };
        if (!Models.Contains(spec.Model))
            throw new ArgumentException($"unknown model '{Model}' (expected one of: {string.Join(", ", Models)})");
        if (!Methods.Contains(spec.Method))
            throw new ArgumentException($"unknown method '{Method}' (expected one of: {string.Join(", ", Methods)})");
        var profile = ExperimentProfile.Get(spec.WithoutUnusedSettings().Profile);
        spec = spec with { Profile = profile.Name };
        Storage.SafeName.Check(spec.Dataset, "dataset name");
        Data.DatasetLoader.RequireAttribute(spec.Dataset, profile.Data.AttributeColumn);
        return spec;
    }
}

/// <summary>The names the paper's tables use.</summary>
public static class TableLabels
{
    public static string Model(string model) => model switch { "ncf" => "NMF", "lightgcn" => "LightGCN", _ => model };

    public static string Method(string method) => method switch
    {
        "original" => "Original", "u2u" => "U2U-R", "d2d" => "D2D-R", "retrain" => "Retrain", "adv" => "Adv-InT", _ => method,
    };

    public static string Dataset(string dataset) => dataset switch
    {
        "ml-100k" => "ML-100K", "ml-1m" => "ML-1M", "lfm-2b" => "LFM-2B", "lfm-2b-synthetic" => "LFM-2B (synthetic)", "ml-1m-synthetic" => "ML-1M (synthetic)", _ => dataset,
    };

    /// <summary>The published dataset a stand-in is compared with ("LFM-2B (synthetic)" → "LFM-2B").</summary>
    public static string PaperDataset(string dataset) => dataset switch { "lfm-2b-synthetic" => "LFM-2B", "ml-1m-synthetic" => "ML-1M", _ => Dataset(dataset) };

    /// <summary>The published dataset a cell is compared with, where the paper measured it: with a
    /// private attribute other than gender there is none (a label no paper row has).</summary>
    public static string PaperDataset(CellSpec cell) =>
        OtherAttribute(cell.Profile) is { } attribute ? $"{PaperDataset(cell.Dataset)} by {attribute}" : PaperDataset(cell.Dataset);

    /// <summary>How a profile's attack splits the users, for table headers ("stratified 5-fold x 3");
    /// null for a profile this engine no longer knows.</summary>
    public static string? AttackProtocol(string profile)
    {
        try
        {
            var attack = ExperimentProfile.Get(profile).Attack;
            return $"stratified {attack.Folds}-fold x {attack.Repeats}";
        }
        catch (ArgumentException) { return null; }
    }

    /// <summary>The private attribute a profile sets where it is not the paper's gender; null for gender.</summary>
    public static string? OtherAttribute(string profile)
    {
        string? attribute;
        try { attribute = ExperimentProfile.Get(profile).Data.AttributeColumn; }
        catch (ArgumentException) { attribute = null; } // a profile this engine no longer knows
        return attribute is null || attribute.Equals("gender", StringComparison.OrdinalIgnoreCase) ? null : attribute;
    }
}
