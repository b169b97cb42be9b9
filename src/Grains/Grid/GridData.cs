using Unlearning.Catalog;
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
        var names = requested.SelectMany(d => d.Equals(GridPlan.All, StringComparison.OrdinalIgnoreCase) ? Registry.Datasets.All.Where(x => x.InPaperGrid).Select(x => x.Name) : [d]);
        foreach (var replaced in names.Select(Registry.Datasets.Find).OfType<DatasetDescriptor>().Distinct()
                     .Where(d => d.StandIn is { } standIn && cells.Any(c => c.Dataset == standIn) && cells.All(c => c.Dataset != d.Name)))
            warnings.Add($"{replaced.Name}: {string.Join(" and ", DatasetLoader.RequiredFiles(replaced.Name, dataDir))} absent ({replaced.HowToGet(DatasetLoader.DatasetDirectory(replaced.Name, dataDir))}): " +
                         $"its cells run on {TableLabels.Dataset(replaced.StandIn!)}, a generated stand-in of {replaced.Label}'s shape, labelled so in every table");
        foreach (var dataset in cells.Select(c => c.Dataset).Distinct())
        {
            if (DatasetLoader.Missing(dataset, dataDir) is not { } missing) continue;
            if (DataFetcher.CanFetch(dataset)) warnings.Add($"{dataset}: {missing}. The grid tries that download first; offline, its cells fail");
            else throw new ArgumentException($"{dataset}: {missing}");
        }
        return warnings;
    }
}
