using Unlearning.Catalog;
using Unlearning.Experiments;

namespace Unlearning.Grains;

/// <summary>The grid's dependency rules, free of Orleans so they can be tested alone.</summary>
public static class GridPlan
{
    public readonly record struct Decision(bool Ready, string? FailedInput);

    /// <summary>The most seeds a grid runs (2023 ... 2122): beyond it a typo would plan for minutes.</summary>
    public const int MaxSeeds = 100;

    /// <summary>The requested cells plus the original cells that u2u / d2d need, without duplicates.</summary>
    public static IReadOnlyList<CellSpec> WithInputs(IEnumerable<CellSpec> cells)
    {
        var all = new List<CellSpec>();
        var seen = new HashSet<CellSpec>();
        foreach (var cell in cells)
        {
            if (cell.NeedsOriginal && seen.Add(cell.OriginalCell)) all.Add(cell.OriginalCell);
            if (seen.Add(cell)) all.Add(cell);
        }
        return all;
    }

    /// <summary>A run id names one set of cells: starting it again with other cells is refused (it would
    /// overwrite the run's file and report), with the same cells it continues or reuses them.</summary>
    /// <param name="existing">The cells of the run as it exists (inputs included).</param>
    /// <param name="advice">What to do instead, ending the message.</param>
    public static void RequireSameCells(string runId, IReadOnlyCollection<CellSpec> existing, IEnumerable<CellSpec> requested, string advice)
    {
        if (!existing.ToHashSet().SetEquals(WithInputs(requested)))
            throw new ArgumentException($"run '{runId}' already exists with other cells ({existing.Count}); {advice}");
    }

    /// <summary>Whether a pending cell may start now, must fail because its input failed, or waits.</summary>
    public static Decision Decide(CellSpec cell, Func<CellSpec, CellStatus?> statusOf)
    {
        if (!cell.NeedsOriginal) return new Decision(true, null);
        var input = statusOf(cell.OriginalCell);
        return input?.State switch
        {
            CellState.Done => new Decision(true, null),
            CellState.Failed => new Decision(false, $"its input {cell.OriginalCell} failed: {input.Error}"),
            null => new Decision(false, $"its input {cell.OriginalCell} is not part of the grid"),
            _ => new Decision(false, null),
        };
    }

    /// <summary>The cells of a grid. With <paramref name="dataDir"/> (an embedded grid, whose data is
    /// the client's), LFM-2B runs on its synthetic stand-in when its files are absent there; on a
    /// cluster the silos' data decides, and a silo without LFM-2B fails its cells naming the file.</summary>
    /// <param name="sweeps">"key=v1,v2,..." each: one cell per value of every sweep (their product),
    /// under <paramref name="profile"/> with that setting added.</param>
    /// <param name="setKeys">The keys the command line set (--set, --config, --attribute), even to the
    /// base profile's value: a swept key must not be one of them.</param>
    public static List<CellSpec> Cells(string[] datasets, string models, string methods, string profile, int seeds, string? dataDir,
        IReadOnlyList<string>? sweeps = null, IReadOnlyCollection<string>? setKeys = null)
    {
        if (seeds is < 1 or > MaxSeeds) throw new ArgumentException($"--seeds must be from 1 to {MaxSeeds}, got {seeds}");
        var profiles = Profiles(profile, sweeps ?? [], setKeys);
        var names = DatasetNames(datasets).Select(d => dataDir is not null ? StandInWhereAbsent(d, dataDir) : d).ToList();
        var modelList = models == All ? Registry.Models.Names : models.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var methodList = methods == All ? Registry.PaperGridMethods : methods.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var cells = new List<CellSpec>();
        var seen = new HashSet<CellSpec>();
        for (int s = 0; s < seeds; s++)
            foreach (var dataset in names)
                foreach (var model in modelList)
                    foreach (var method in methodList)
                        foreach (var swept in profiles)
                        {
                            var key = new CellSpec(dataset, model, method, swept, 2023 + s).WithoutUnusedSettings().Validate();
                            if (seen.Add(key)) cells.Add(key);
                        }
        return cells;
    }

    /// <summary>Every dataset of the paper, model or method ("grid all", "--models all").</summary>
    public const string All = "all";

    /// <summary>The datasets requested, <see cref="All"/> standing for the paper's, in lower case, each once.</summary>
    public static IReadOnlyList<string> DatasetNames(IEnumerable<string> requested) =>
        requested.SelectMany(d => d == All ? Registry.Datasets.All.Where(x => x.InPaperGrid).Select(x => x.Name) : [d]).Select(d => d.ToLowerInvariant()).Distinct().ToList();

    /// <summary>A dataset none of whose files are in <paramref name="dataDir"/> and that has a generated
    /// stand-in (LFM-2B, whose sample cannot be downloaded) runs on the stand-in; one with some of its
    /// files is the user's, and fails naming any that is missing.</summary>
    public static string StandInWhereAbsent(string dataset, string dataDir) =>
        Registry.Datasets.Find(dataset) is { StandIn: { } standIn } && DatasetLoader.RequiredFiles(dataset, dataDir).All(f => !File.Exists(f)) ? standIn : dataset;

    /// <summary>The profile with every combination of the sweeps' values, in the order given.</summary>
    public static IReadOnlyList<string> Profiles(string profile, IReadOnlyList<string> sweeps, IReadOnlyCollection<string>? setKeys = null)
    {
        var profiles = new List<string> { ProfileSettings.Compose(profile, []) };
        var set = ProfileSettings.KeysOf(profiles[0]).Concat(setKeys ?? []).ToHashSet(StringComparer.Ordinal);
        var swept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sweep in sweeps)
        {
            int equals = sweep.IndexOf('=');
            var values = equals > 0 ? sweep[(equals + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
            if (values.Length == 0) throw new ArgumentException($"--sweep '{sweep}' needs key=value1,value2,... (for example unlearning.trade_off=1e-6,1e-4,1e-2)");
            var key = ProfileSettings.KeyOf(sweep[..equals]);
            if (!swept.Add(key)) throw new ArgumentException($"--sweep {key} is given twice; list all its values in one --sweep {key}=v1,v2,...");
            if (set.Contains(key)) throw new ArgumentException($"{key} is both swept (--sweep) and set (--set, --config or the profile's expression); give it in one of them");
            profiles = profiles.SelectMany(p => values.Select(v => ProfileSettings.Compose(p, [$"{key}={v}"]))).Distinct().ToList();
        }
        return profiles;
    }
}
