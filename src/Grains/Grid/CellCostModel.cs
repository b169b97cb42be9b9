using Unlearning.Catalog;
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
/// Its inputs are in the catalog: each method's reference seconds and scaling, each dataset's shape
/// and measured rates, each model's GPU speedup. On the CPU, a dataset whose steps the scale benchmark
/// measured (<see cref="DatasetDescriptor.MeasuredRates"/>)
/// takes its measured rates instead: training steps x seconds per step, unlearning set-up plus
/// steps x seconds per step. Scaling ML-100K's times misses what grows faster than the data:
/// LightGCN propagates the whole graph in every step, and NCF's dense Adam touches every embedding.
/// Datasets it does not know are taken to be ML-100K-sized.
/// </summary>
public static class CellCostModel
{
    private static readonly DatasetShape Ml100k = Registry.Dataset(Registry.ReferenceDataset).Shape!;

    /// <summary>How much faster unlearning steps run on a GPU (issue 10's target: 500 steps in 1 s).</summary>
    private const double UnlearningGpuSpeedup = 4.0;

    public static double ExpectedSeconds(CellSpec cell, bool gpu = false)
    {
        var dataset = Registry.Datasets.Find(cell.Dataset);
        var shape = dataset?.Shape ?? Ml100k;
        // A cell with a profile or a name the engine does not know fails when it runs; planning takes it as paper.
        ExperimentProfile profile;
        try { profile = ExperimentProfile.Get(cell.Profile); }
        catch (ArgumentException) { profile = ExperimentProfile.Get("paper"); }
        var method = Registry.Methods.Find(cell.Method);
        bool unlearns = method?.NeedsOriginal ?? false;
        if (!gpu && dataset is not null && dataset.MeasuredRates.TryGetValue((cell.Model, cell.Method), out var rate))
            return unlearns
                ? rate.SetupSeconds + rate.SecondsPerStep * profile.Unlearning.Steps
                : rate.SecondsPerStep * PointwiseTrainer.StepsPerEpoch(shape.TrainingPairs, profile.Training) * profile.Training.Epochs;
        double reference = method?.ReferenceSeconds.GetValueOrDefault(cell.Model, 120) ?? 120;
        double users = (double)shape.Users / Ml100k.Users;
        double seconds = (method?.Scaling ?? CostScaling.TrainingPairs) switch
        {
            CostScaling.Users => reference * users * profile.Unlearning.Steps / 500.0,
            CostScaling.UsersToThePowerOneAndAHalf => reference * Math.Pow(users, 1.5) * profile.Unlearning.Steps / 500.0,
            _ => reference * shape.TrainingPairs / Ml100k.TrainingPairs * profile.Training.Epochs / 25.0,
        };
        return gpu ? seconds / (unlearns ? UnlearningGpuSpeedup : Registry.Models.Find(cell.Model)?.GpuTrainingSpeedup ?? 1) : seconds;
    }

    /// <summary>A cell's priority: its own expected time plus the longest of the cells of the grid that
    /// wait for it (an original's u2u / d2d), i.e. the work that cannot start before it ends.</summary>
    public static Dictionary<CellSpec, double> Priorities(IReadOnlyCollection<CellSpec> cells, bool gpu = false)
    {
        var own = cells.ToDictionary(c => c, c => ExpectedSeconds(c, gpu));
        var longestWaiting = cells.Where(d => d.NeedsOriginal).GroupBy(d => d.OriginalCell).ToDictionary(g => g.Key, g => g.Max(d => own[d]));
        return cells.ToDictionary(c => c, c => own[c] + longestWaiting.GetValueOrDefault(c));
    }
}
