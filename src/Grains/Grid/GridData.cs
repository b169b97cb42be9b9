using Unlearning.Catalog;
using Unlearning.Experiments;

namespace Unlearning.Grains;

/// <summary>What an embedded grid's data (the client's --data) lacks or stands in for, checked before
/// the grid plans or runs: a dataset that cannot be read or fetched is refused; one that the grid
/// downloads first, or replaces by its synthetic stand-in, is a warning.</summary>
public static class GridData
{
    /// <param name="requested">The datasets as the command names them (<see cref="GridPlan.All"/> included),
    /// which <see cref="GridPlan.Cells"/> turns into the grid's by the same rules.</param>
    /// <returns>The warnings to print; throws <see cref="ArgumentException"/> naming a dataset whose files
    /// are missing and cannot be fetched (an unknown name, a custom folder without its files).</returns>
    public static IReadOnlyList<string> Check(IEnumerable<string> requested, string dataDir)
    {
        var warnings = new List<string>();
        var datasets = GridPlan.DatasetNames(requested).Select(name => (Name: name, Runs: GridPlan.StandInWhereAbsent(name, dataDir))).ToList();
        foreach (var (name, standIn) in datasets.Where(d => d.Runs != d.Name))
        {
            var replaced = Registry.Datasets.Get(name);
            warnings.Add($"{replaced.Name}: {string.Join(" and ", DatasetLoader.RequiredFiles(replaced.Name, dataDir))} absent ({replaced.HowToGet(DatasetLoader.DatasetDirectory(replaced.Name, dataDir))}): " +
                         $"its cells run on {TableLabels.Dataset(standIn)}, a generated stand-in of {replaced.Label}'s shape, labelled so in every table");
        }
        foreach (var dataset in datasets.Select(d => d.Runs).Distinct())
        {
            if (DatasetLoader.Missing(dataset, dataDir) is not { } missing) continue;
            if (DataFetcher.CanFetch(dataset)) warnings.Add($"{dataset}: {missing}. The grid tries that download first; offline, its cells fail");
            else throw new ArgumentException($"{dataset}: {missing}");
        }
        return warnings;
    }
}
