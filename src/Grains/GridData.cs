using Unlearning.Data;
using Unlearning.Experiments;

namespace Unlearning.Grains;

/// <summary>What an embedded grid's data (the client's --data) lacks or stands in for, checked before
/// the grid plans or runs: a dataset that cannot be read or fetched is refused; one that the grid
/// downloads first, or replaces by its synthetic stand-in, is a warning.</summary>
public static class GridData
{
    /// <returns>The warnings to print; throws <see cref="ArgumentException"/> naming a dataset whose files
    /// are missing and cannot be fetched (an unknown name, a custom folder without its files).</returns>
    public static IReadOnlyList<string> Check(IEnumerable<string> requested, IReadOnlyList<CellKey> cells, string dataDir)
    {
        var warnings = new List<string>();
        var names = requested.Select(d => d.ToLowerInvariant()).ToList();
        if ((names.Contains(DatasetLoader.Lfm2b) || names.Contains("all")) && cells.Any(c => c.Dataset == DatasetLoader.Lfm2bSynthetic) && cells.All(c => c.Dataset != DatasetLoader.Lfm2b))
            warnings.Add($"{DatasetLoader.Lfm2b}: {Path.Combine(dataDir, DatasetLoader.Lfm2b, Lfm2bReader.InteractionsFileName)} is absent (the LFM-2b sample cannot be downloaded): " +
                         $"its cells run on {TableLabels.Dataset(DatasetLoader.Lfm2bSynthetic)}, a generated stand-in of LFM-2B's shape, labelled so in every table");
        foreach (var dataset in cells.Select(c => c.Dataset).Distinct())
        {
            if (DatasetLoader.Missing(dataset, dataDir) is not { } missing) continue;
            if (DataFetcher.CanFetch(dataset)) warnings.Add($"{dataset}: {missing}. The grid tries that download first; offline, its cells fail");
            else throw new ArgumentException($"{dataset}: {missing}");
        }
        return warnings;
    }
}
