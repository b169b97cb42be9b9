using System.Diagnostics;

namespace Unlearning.Data;

/// <summary>
/// Entry point of the data module: reads (or generates) a dataset, preprocesses it
/// (<see cref="Preprocessor"/>) and caches the result.
/// <list type="bullet">
/// <item>"ml-100k", "ml-1m", "lfm-2b": files in <c>dataDir/&lt;dataset&gt;/</c>
/// (<see cref="MovieLens100KReader"/>, <see cref="MovieLens1MReader"/>, <see cref="Lfm2bReader"/>);</item>
/// <item>"lfm-2b-synthetic", "ml-1m-synthetic", "synthetic-small": generated (<see cref="SyntheticGenerator"/>), no files;</item>
/// <item>any other name: a custom dataset, <c>dataDir/&lt;name&gt;/</c> holding
/// <c>interactions.csv</c> and <c>attributes.csv</c> (<see cref="CustomCsvReader"/>).</item>
/// </list>
/// </summary>
public static class DatasetLoader
{
    public const string MovieLens100K = "ml-100k";
    public const string MovieLens1M = "ml-1m";
    public const string Lfm2b = "lfm-2b";
    public const string Lfm2bSynthetic = "lfm-2b-synthetic";
    public const string MovieLens1MSynthetic = "ml-1m-synthetic";
    public const string SyntheticSmall = "synthetic-small";

    public static IReadOnlyList<string> BuiltInDatasets { get; } = [MovieLens100K, MovieLens1M, Lfm2b, Lfm2bSynthetic, MovieLens1MSynthetic, SyntheticSmall];

    /// <summary>Generated on load (<see cref="SyntheticGenerator"/>), no files.</summary>
    public static bool IsGenerated(string dataset) => dataset is Lfm2bSynthetic or MovieLens1MSynthetic or SyntheticSmall;

    /// <summary>The private attributes a built-in dataset offers (the first is the paper's); null for a
    /// custom dataset, whose attributes.csv header decides.</summary>
    public static IReadOnlyList<string>? Attributes(string dataset) => dataset switch
    {
        MovieLens100K or MovieLens1M => MovieLensReader.Attributes,
        // The LFM-2B reader and the generator give each user a gender only.
        Lfm2b => [GenderAttribute],
        _ when IsGenerated(dataset) => [GenderAttribute],
        _ => null,
    };

    public const string GenderAttribute = "gender";

    /// <summary>Throws, naming the attributes the dataset has, unless it can make
    /// <paramref name="attribute"/> (null: the paper's gender) the private attribute.</summary>
    public static void RequireAttribute(string dataset, string? attribute)
    {
        if (attribute is null || Attributes(dataset) is not { } offered || offered.Contains(attribute)) return;
        throw new ArgumentException($"dataset '{dataset}' has no attribute '{attribute}' (data.attribute_column / --attribute): it has only {string.Join(", ", offered)}");
    }

    public static PreparedDataset Load(string dataset, string dataDir, DataOptions options, string? cacheDir = null, Action<string>? log = null)
    {
        Storage.SafeName.Check(dataset, "dataset name");
        RequireAttribute(dataset, options.AttributeColumn);
        var clock = Stopwatch.StartNew();
        var effective = Resolve(dataset, options);
        effective.Validate();
        var synthetic = SyntheticSettings(dataset, options);
        var files = InputFiles(dataset, dataDir);
        var key = DatasetCache.ComputeKey(Format(dataset), files, effective.KeyText() + (synthetic is null ? "" : ";" + synthetic.KeyText()));

        string? cachePath = cacheDir is null ? null : DatasetCache.PathFor(cacheDir, dataset, key);
        if (cachePath is not null)
        {
            var cached = DatasetCache.TryRead(cachePath, key, out var problem);
            if (cached is not null && cached.Name == dataset)
            {
                log?.Invoke($"{dataset}: loaded from cache {cachePath} in {clock.ElapsedMilliseconds} ms " +
                            $"({cached.NumUsers:N0} users, {cached.NumItems:N0} items, {cached.NumTrain:N0} train pairs)");
                return cached;
            }
            if (problem is not null) log?.Invoke($"{dataset}: ignoring cache {cachePath} ({problem}); rebuilding");
        }

        var raw = ReadRaw(dataset, dataDir, options, synthetic);
        long readMs = clock.ElapsedMilliseconds;
        var result = Preprocessor.Run(raw, effective, dataset, key);
        log?.Invoke($"{dataset}: read in {readMs} ms, preprocessed in {clock.ElapsedMilliseconds - readMs} ms: {result.Stats}");

        if (cachePath is not null)
        {
            try
            {
                DatasetCache.Write(cachePath, result.Dataset);
                log?.Invoke($"{dataset}: cached at {cachePath}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log?.Invoke($"{dataset}: could not write cache {cachePath}: {e.Message}");
            }
        }
        return result.Dataset;
    }

    /// <summary>The options with the dataset's default thresholds filled in (what is applied and hashed).</summary>
    public static DataOptions Resolve(string dataset, DataOptions options)
    {
        int user = options.MinInteractions ?? dataset switch
        {
            Lfm2b => 120,
            _ when IsGenerated(dataset) => SyntheticSettings(dataset, options)!.MinInteractions,
            _ => 5,
        };
        int item = options.MinItemInteractions ?? dataset switch
        {
            Lfm2b => 5,
            _ when IsGenerated(dataset) => Math.Max(1, SyntheticSettings(dataset, options)!.MinItemInteractions),
            _ => user,
        };
        return options with { MinInteractions = user, MinItemInteractions = item, Synthetic = null };
    }

    /// <summary>The folder a file-based dataset is read from.</summary>
    public static string DatasetDirectory(string dataset, string dataDir) => Path.GetFullPath(Path.Combine(dataDir, dataset));

    private static SyntheticOptions? SyntheticSettings(string dataset, DataOptions options) => dataset switch
    {
        Lfm2bSynthetic => options.Synthetic ?? SyntheticOptions.Default,
        MovieLens1MSynthetic => options.Synthetic ?? SyntheticOptions.MovieLens1M,
        SyntheticSmall => options.Synthetic ?? SyntheticOptions.Small,
        _ => null,
    };

    private static string Format(string dataset) => dataset switch
    {
        MovieLens100K or MovieLens1M or Lfm2b => dataset,
        _ when IsGenerated(dataset) => dataset,
        _ => "custom",
    };

    private static RawDataset ReadRaw(string dataset, string dataDir, DataOptions options, SyntheticOptions? synthetic)
    {
        var dir = DatasetDirectory(dataset, dataDir);
        return dataset switch
        {
            MovieLens100K => MovieLens100KReader.Read(dir, options.AttributeColumn),
            MovieLens1M => MovieLens1MReader.Read(dir, options.AttributeColumn),
            Lfm2b => Lfm2bReader.Read(dir),
            _ when IsGenerated(dataset) => SyntheticGenerator.Generate(synthetic!, $"generated {dataset}"),
            _ => CustomCsvReader.Read(dir, options.AttributeColumn),
        };
    }

    /// <summary>The raw files a file-based dataset needs under <paramref name="dataDir"/>; none for a generated one.</summary>
    public static IReadOnlyList<string> RequiredFiles(string dataset, string dataDir)
    {
        var dir = DatasetDirectory(dataset, dataDir);
        string[] names = dataset switch
        {
            MovieLens100K => [MovieLens100KReader.RatingsFileName, MovieLens100KReader.UsersFileName],
            MovieLens1M => [MovieLens1MReader.RatingsFileName, MovieLens1MReader.UsersFileName],
            Lfm2b => [Lfm2bReader.InteractionsFileName, Lfm2bReader.UsersFileName],
            _ when IsGenerated(dataset) => [],
            _ => [CustomCsvReader.InteractionsFileName, CustomCsvReader.AttributesFileName],
        };
        return names.Select(n => Path.Combine(dir, n)).ToArray();
    }

    /// <summary>What is missing for a dataset under <paramref name="dataDir"/> and how to get it, or null when nothing is.</summary>
    public static string? Missing(string dataset, string dataDir)
    {
        var dir = DatasetDirectory(dataset, dataDir);
        if (Format(dataset) == "custom" && !Directory.Exists(dir))
            return $"unknown dataset '{dataset}': expected one of {string.Join(", ", BuiltInDatasets)}, " +
                   $"or a folder {dir} holding {CustomCsvReader.InteractionsFileName} (user,item[,timestamp]) and {CustomCsvReader.AttributesFileName} (user,value)";
        var missing = RequiredFiles(dataset, dataDir).Where(f => !File.Exists(f)).ToList();
        return missing.Count == 0 ? null : $"{string.Join(" and ", missing)} not found; {HowToGet(dataset, dir)}";
    }

    /// <summary>The raw files of a dataset; throws with instructions when one is missing.</summary>
    private static string[] InputFiles(string dataset, string dataDir)
    {
        var dir = DatasetDirectory(dataset, dataDir);
        if (Format(dataset) == "custom" && !Directory.Exists(dir))
            throw new DataFormatException(dir, null, dataset, Missing(dataset, dataDir)!);
        var files = RequiredFiles(dataset, dataDir).ToArray();
        foreach (var file in files)
            if (!File.Exists(file))
                throw new DataFormatException(file, null, null, "file not found; " + HowToGet(dataset, dir));
        return files;
    }

    internal static string HowToGet(string dataset, string dir) => dataset switch
    {
        MovieLens100K => $"run the client's `data fetch {dataset}`, or download {DataFetcher.MovieLensUrl(dataset)} and unzip u.data and u.user into {dir}",
        MovieLens1M => $"run the client's `data fetch {dataset}`, or download {DataFetcher.MovieLensUrl(dataset)} and unzip ratings.dat and users.dat into {dir}",
        Lfm2b => $"the LFM-2b demographic sample is not publicly downloadable; place {Lfm2bReader.InteractionsFileName} " +
                 $"(user \\t track \\t count [\\t timestamp]) and {Lfm2bReader.UsersFileName} (user \\t country \\t age \\t gender \\t time) " +
                 $"in {dir}, or use '{Lfm2bSynthetic}', a generated dataset of the same shape",
        _ => $"place {CustomCsvReader.InteractionsFileName} (user,item[,timestamp]) and {CustomCsvReader.AttributesFileName} (user,value) in {dir}",
    };
}
