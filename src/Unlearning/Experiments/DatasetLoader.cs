using System.Diagnostics;
using Unlearning.Catalog;
using Unlearning.Data;

namespace Unlearning.Experiments;

/// <summary>
/// Loads a dataset by name: its catalog entry (<see cref="DatasetDescriptor"/>) says where its files
/// are and how they are read, or how it is generated; any other name is a custom dataset,
/// <c>dataDir/&lt;name&gt;/</c> holding <c>interactions.csv</c> and <c>attributes.csv</c>. The raw data is
/// preprocessed (<see cref="Preprocessor"/>) and the result cached.
/// </summary>
public static class DatasetLoader
{
    /// <summary>The paper's private attribute.</summary>
    public const string GenderAttribute = "gender";

    /// <summary>Throws, naming the attributes the dataset has, unless it can make
    /// <paramref name="attribute"/> (null: the paper's gender) the private attribute.</summary>
    public static void RequireAttribute(string dataset, string? attribute)
    {
        if (attribute is null || Catalog.Registry.Dataset(dataset).Attributes is not { } offered || offered.Contains(attribute)) return;
        throw new ArgumentException($"dataset '{dataset}' has no attribute '{attribute}' (data.attribute_column / --attribute): it has only {string.Join(", ", offered)}");
    }

    public static PreparedDataset Load(string dataset, string dataDir, DataOptions options, string? cacheDir = null, Action<string>? log = null)
    {
        Storage.SafeName.Check(dataset, "dataset name");
        RequireAttribute(dataset, options.AttributeColumn);
        var clock = Stopwatch.StartNew();
        var descriptor = Catalog.Registry.Dataset(dataset);
        var effective = Resolve(dataset, options);
        effective.Validate();
        var synthetic = descriptor.IsGenerated ? options.Synthetic ?? descriptor.Generator : null;
        var files = InputFiles(descriptor, dataDir);
        var key = DatasetCache.ComputeKey(descriptor.CacheFormat, files, effective.KeyText() + (synthetic is null ? "" : ";" + synthetic.KeyText()));

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

        var raw = synthetic is not null
            ? SyntheticGenerator.Generate(synthetic, $"generated {dataset}")
            : descriptor.Read!(DatasetDirectory(dataset, dataDir), options.AttributeColumn);
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
        var (user, item) = Catalog.Registry.Dataset(dataset).Thresholds(options, options.Synthetic);
        return options with { MinInteractions = user, MinItemInteractions = item, Synthetic = null };
    }

    /// <summary>The folder a file-based dataset is read from.</summary>
    public static string DatasetDirectory(string dataset, string dataDir) => Path.GetFullPath(Path.Combine(dataDir, dataset));

    /// <summary>The raw files a file-based dataset needs under <paramref name="dataDir"/>; none for a generated one.</summary>
    public static IReadOnlyList<string> RequiredFiles(string dataset, string dataDir) =>
        Catalog.Registry.Dataset(dataset).Files.Select(f => Path.Combine(DatasetDirectory(dataset, dataDir), f)).ToArray();

    /// <summary>What is missing for a dataset under <paramref name="dataDir"/> and how to get it, or null when nothing is.</summary>
    public static string? Missing(string dataset, string dataDir)
    {
        var descriptor = Catalog.Registry.Dataset(dataset);
        var dir = DatasetDirectory(dataset, dataDir);
        if (descriptor.IsCustom && !Directory.Exists(dir))
            return $"unknown dataset '{dataset}': expected one of {string.Join(", ", Catalog.Registry.Datasets.Names)}, " +
                   $"or a folder {dir} holding {CustomCsvReader.InteractionsFileName} (user,item[,timestamp]) and {CustomCsvReader.AttributesFileName} (user,value)";
        var missing = RequiredFiles(dataset, dataDir).Where(f => !File.Exists(f)).ToList();
        return missing.Count == 0 ? null : $"{string.Join(" and ", missing)} not found; {descriptor.HowToGet(dir)}";
    }

    /// <summary>The raw files of a dataset; throws with instructions when one is missing.</summary>
    private static string[] InputFiles(DatasetDescriptor descriptor, string dataDir)
    {
        var dir = DatasetDirectory(descriptor.Name, dataDir);
        if (descriptor.IsCustom && !Directory.Exists(dir))
            throw new DataFormatException(dir, null, descriptor.Name, Missing(descriptor.Name, dataDir)!);
        var files = RequiredFiles(descriptor.Name, dataDir).ToArray();
        foreach (var file in files)
            if (!File.Exists(file))
                throw new DataFormatException(file, null, null, "file not found; " + descriptor.HowToGet(dir));
        return files;
    }
}
