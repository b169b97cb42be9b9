using Unlearning.Data;

namespace Unlearning.Catalog;

/// <summary>
/// One dataset, as microsoft/recommenders' <c>DATA_FORMAT</c> gives one row of facts per dataset:
/// where its files are and how they are read (or how it is generated), its preprocessing defaults,
/// the private attributes it offers, how to get it, the published dataset it is compared with, and
/// its size for the cost model.
/// </summary>
public sealed record DatasetDescriptor : ICatalogEntry
{
    public required string Name { get; init; }
    public required string Label { get; init; }
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The published dataset a cell of it is compared with ("LFM-2B" for the synthetic
    /// stand-in); null where the paper has none.</summary>
    public string? PaperLabel { get; init; }

    /// <summary>One of the paper's datasets: part of <c>grid all</c>.</summary>
    public bool InPaperGrid { get; init; }

    /// <summary>The generated dataset an embedded grid runs instead when this one's files are absent.</summary>
    public string? StandIn { get; init; }

    /// <summary>The raw files under DATA/&lt;name&gt;/; none for a generated dataset.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>Reads the files of its folder with the private attribute asked for (null: the paper's).</summary>
    public Func<string, string?, RawDataset>? Read { get; init; }

    /// <summary>A generated dataset's generator settings (<see cref="SyntheticGenerator"/>).</summary>
    public SyntheticOptions? Generator { get; init; }

    /// <summary>The private attributes it offers, the paper's first; null: its attributes.csv header decides.</summary>
    public IReadOnlyList<string>? Attributes { get; init; }

    /// <summary>Preprocessing defaults: the k-core thresholds where <see cref="DataOptions"/> leaves them unset.</summary>
    public int MinUserInteractions { get; init; } = 5;

    /// <summary>Null: the user threshold.</summary>
    public int? MinItemInteractions { get; init; }

    /// <summary>Where the files can be downloaded from (a zip of the folder); null where they cannot.</summary>
    public Uri? Download { get; init; }

    /// <summary>Says how to get the files into a folder.</summary>
    public required Func<string, string> HowToGet { get; init; }

    /// <summary>Users and training pairs after preprocessing, for the cost model; null: taken as ML-100K's.</summary>
    public DatasetShape? Shape { get; init; }

    /// <summary>Seconds per step the scale benchmark measured at this size, by model and method.</summary>
    public IReadOnlyDictionary<(string Model, string Method), StepRate> MeasuredRates { get; init; } = new Dictionary<(string, string), StepRate>();

    /// <summary>A folder of the user's own (not in the catalog): its name, and CSV files.</summary>
    public bool IsCustom { get; init; }

    public bool IsGenerated => Generator is not null;

    /// <summary>The format part of the prepared-data cache key: the dataset for a built-in one, "custom" otherwise.</summary>
    public string CacheFormat => IsCustom ? "custom" : Name;

    /// <summary>The k-core thresholds applied: the options' where set, else the dataset's (a generated
    /// one's from its generator settings, <paramref name="generator"/> where the options give their own).</summary>
    public (int User, int Item) Thresholds(DataOptions options, SyntheticOptions? generator = null)
    {
        var settings = generator ?? Generator;
        int user = options.MinInteractions ?? settings?.MinInteractions ?? MinUserInteractions;
        int item = options.MinItemInteractions ?? (settings is not null ? Math.Max(1, settings.MinItemInteractions) : MinItemInteractions ?? user);
        return (user, item);
    }

    /// <summary>A custom dataset: DATA/&lt;name&gt;/interactions.csv and attributes.csv (<see cref="CustomCsvReader"/>).</summary>
    public static DatasetDescriptor Custom(string name) => new()
    {
        Name = name,
        Label = name,
        IsCustom = true,
        Files = [CustomCsvReader.InteractionsFileName, CustomCsvReader.AttributesFileName],
        Read = CustomCsvReader.Read,
        HowToGet = dir => $"place {CustomCsvReader.InteractionsFileName} (user,item[,timestamp]) and {CustomCsvReader.AttributesFileName} (user,value) in {dir}",
    };
}
