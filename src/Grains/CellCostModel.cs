using Unlearning.Experiments;
using Unlearning.Training;

namespace Unlearning.Grains;

/// <summary>
/// Expected seconds of a cell, for ordering a grid's cells (longest first) and for <c>grid --plan</c>.
/// A rough model, stated so that it can be checked: the cell times of the ML-100K paper grid on the
/// 2-core development machine (docs/figures/grid-ml100k-20261202-grid.json), scaled
/// <list type="bullet">
/// <item>by the dataset's size: training methods by training pairs, u2u by users (its steps and its
/// attack go over users), d2d by users^1.5 (its MMD is quadratic in users, its attack linear);</item>
/// <item>by the profile's work: epochs / 25 for training, steps / 500 for unlearning;</item>
/// <item>on a GPU by issue 10's targets for an H100/H200 (NCF epoch 2.3 s, LightGCN 3.0 s, 500
/// unlearning steps in 1 s), which no GPU run has confirmed yet.</item>
/// </list>
/// On the CPU, a dataset whose steps the scale benchmark measured (<see cref="MeasuredRates"/>)
/// takes its measured rates instead: training steps x seconds per step, unlearning set-up plus
/// steps x seconds per step. Scaling ML-100K's times misses what grows faster than the data:
/// LightGCN propagates the whole graph in every step, and NCF's dense Adam touches every embedding.
/// Datasets it does not know are taken to be ML-100K-sized.
/// </summary>
public static class CellCostModel
{
    public sealed record Shape(int Users, long TrainingPairs);

    /// <summary>Sizes after preprocessing (docs/decisions.md, data statistics).</summary>
    public static readonly IReadOnlyDictionary<string, Shape> Shapes = new Dictionary<string, Shape>
    {
        ["ml-100k"] = new(943, 98_344),
        ["ml-1m"] = new(6_040, 994_169),
        ["lfm-2b"] = new(19_972, 2_810_569),
        ["lfm-2b-synthetic"] = new(19_972, 2_810_569),
        ["ml-1m-synthetic"] = new(6_040, 994_169),
        ["synthetic-small"] = new(300, 14_700),
    };

    /// <summary>Seconds on ML-100K, paper profile, one CPU thread.</summary>
    private static readonly Dictionary<(string Model, string Method), double> Reference = new()
    {
        [("ncf", "original")] = 112.5, [("ncf", "retrain")] = 119.5, [("ncf", "adv")] = 128.5,
        [("ncf", "u2u")] = 11.0, [("ncf", "d2d")] = 12.6,
        [("lightgcn", "original")] = 293.8, [("lightgcn", "retrain")] = 299.0, [("lightgcn", "adv")] = 294.9,
        [("lightgcn", "u2u")] = 15.3, [("lightgcn", "d2d")] = 18.6,
    };

    private static readonly Shape Ml100k = Shapes["ml-100k"];

    /// <summary>Seconds per optimiser step (training) or per full-batch unlearning step, and the
    /// unlearning set-up (its top-20 lists), on one thread of the 2-vCPU development machine: the scale
    /// benchmark's figures (docs/benchmarks.md; docs/figures/scale-*.md).</summary>
    public sealed record Rate(double SecondsPerStep, double SetupSeconds = 0);

    public static readonly IReadOnlyDictionary<(string Shape, string Model, string Method), Rate> MeasuredRates = new Dictionary<(string, string, string), Rate>
    {
        // scale-ml1m-synthetic-20261203-000731.md (200 steps each)
        [("ml-1m", "ncf", "original")] = new(0.005), [("ml-1m", "ncf", "retrain")] = new(0.009), [("ml-1m", "ncf", "adv")] = new(0.006),
        [("ml-1m", "ncf", "u2u")] = new(0.012, 16), [("ml-1m", "ncf", "d2d")] = new(0.204, 17),
        [("ml-1m", "lightgcn", "original")] = new(0.034), [("ml-1m", "lightgcn", "retrain")] = new(0.044), [("ml-1m", "lightgcn", "adv")] = new(0.034),
        [("ml-1m", "lightgcn", "u2u")] = new(0.099, 1), [("ml-1m", "lightgcn", "d2d")] = new(0.464, 1),
        // scale-lfm2b-synthetic-20261203-002329.md (200 steps each)
        [("lfm-2b", "ncf", "original")] = new(0.040), [("lfm-2b", "ncf", "retrain")] = new(0.134), [("lfm-2b", "ncf", "adv")] = new(0.046),
        [("lfm-2b", "ncf", "u2u")] = new(0.037, 2265), [("lfm-2b", "ncf", "d2d")] = new(1.590, 2922),
        [("lfm-2b", "lightgcn", "original")] = new(0.802), [("lfm-2b", "lightgcn", "retrain")] = new(1.063), [("lfm-2b", "lightgcn", "adv")] = new(0.936),
        [("lfm-2b", "lightgcn", "u2u")] = new(0.739, 12), [("lfm-2b", "lightgcn", "d2d")] = new(2.869, 24),
    };

    /// <summary>The measured shape a dataset has: ML-1M and its synthetic stand-in share their rates, as do LFM-2B and its.</summary>
    private static string? MeasuredShape(string dataset) => dataset switch
    {
        "ml-1m" or "ml-1m-synthetic" => "ml-1m",
        "lfm-2b" or "lfm-2b-synthetic" => "lfm-2b",
        _ => null,
    };

    public static double ExpectedSeconds(CellKey cell, bool gpu = false)
    {
        var shape = Shapes.GetValueOrDefault(cell.Dataset, Ml100k);
        // A cell with a profile the engine does not know fails when it runs; planning takes it as paper.
        ExperimentProfile profile;
        try { profile = ExperimentProfile.Get(cell.Profile); }
        catch (ArgumentException) { profile = ExperimentProfile.Get("paper"); }
        if (!gpu && MeasuredShape(cell.Dataset) is { } measured && MeasuredRates.TryGetValue((measured, cell.Model, cell.Method), out var rate))
            return cell.NeedsOriginal()
                ? rate.SetupSeconds + rate.SecondsPerStep * profile.Unlearning.Steps
                : rate.SecondsPerStep * PointwiseTrainer.StepsPerEpoch(shape.TrainingPairs, profile.Training) * profile.Training.Epochs;
        double reference = Reference.GetValueOrDefault((cell.Model, cell.Method), 120);
        double users = (double)shape.Users / Ml100k.Users;
        double seconds = cell.Method switch
        {
            "u2u" => reference * users * profile.Unlearning.Steps / 500.0,
            "d2d" => reference * Math.Pow(users, 1.5) * profile.Unlearning.Steps / 500.0,
            _ => reference * shape.TrainingPairs / Ml100k.TrainingPairs * profile.Training.Epochs / 25.0,
        };
        return gpu ? seconds / GpuSpeedup(cell) : seconds;
    }

    private static double GpuSpeedup(CellKey cell) => cell.NeedsOriginal() ? 4.0 : cell.Model == "lightgcn" ? 9.67 / 3.0 : 3.31 / 2.3;

    /// <summary>A cell's priority: its own expected time plus the longest of the cells of the grid that
    /// wait for it (an original's u2u / d2d), i.e. the work that cannot start before it ends.</summary>
    public static Dictionary<CellKey, double> Priorities(IReadOnlyCollection<CellKey> cells, bool gpu = false)
    {
        var own = cells.ToDictionary(c => c, c => ExpectedSeconds(c, gpu));
        return cells.ToDictionary(c => c, c => own[c] + cells.Where(d => d.NeedsOriginal() && d.OriginalCell() == c).Select(d => own[d]).DefaultIfEmpty(0).Max());
    }
}
