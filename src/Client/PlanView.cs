using Unlearning.Experiments;
using Unlearning.Grains;

namespace Unlearning.Client;

/// <summary><c>grid --plan</c>: the cells, their expected time on the devices the grid would use, and
/// the expected wall time of the schedule the grid follows (<see cref="GridSchedule"/>). Runs nothing.</summary>
public static class PlanView
{
    public static string Render(IReadOnlyList<CellSpec> cells, IReadOnlyList<SiloDevices> silos, bool requireGpu)
    {
        var gpuSilos = silos.Where(s => s.Gpus > 0).ToList();
        bool gpu = gpuSilos.Count > 0;
        // Placement puts every cell on a GPU silo when the cluster has one (GpuPreferredPlacement).
        var used = gpu ? gpuSilos : silos;
        int slots = used.Sum(s => s.Slots);
        var lines = new List<string> { $"devices: {string.Join(", ", silos.Select(s => $"{s.Silo} ({s.Gpus} GPU, {s.Slots} slots)"))}" };
        if (requireGpu && !gpu) return string.Join('\n', [.. lines, "no silo has a GPU: with --require-gpu every cell would fail"]);
        if (slots == 0) return string.Join('\n', [.. lines, "no device slots: nothing could run"]);
        var schedule = GridSchedule.Simulate(cells, slots, gpu);
        lines.Add($"{schedule.Entries.Count} cells on {slots} {(gpu ? "GPU" : "CPU")} slots, in the order they would start:");
        lines.Add("");
        lines.Add("| cell | expected | slot | start | end |");
        lines.Add("|---|---:|---:|---:|---:|");
        foreach (var e in schedule.Entries.OrderBy(e => e.Start).ThenBy(e => e.Slot))
            lines.Add($"| {e.Cell} | {Time(e.Seconds)} | {e.Slot} | {Time(e.Start)} | {Time(e.End)} |");
        lines.Add("");
        lines.Add($"expected wall time {Time(schedule.WallSeconds)}: cell time {Time(schedule.CellSeconds)} over {slots} slots ({Time(schedule.CellSeconds / slots)}), " +
            $"longest dependency chain {Time(schedule.CriticalPathSeconds)}");
        lines.Add(gpu
            ? "(expected times on a GPU are targets for an H100 / H200 that no GPU run has confirmed yet: NCF 2.3 s and LightGCN 3.0 s an epoch, 500 unlearning steps in 1 s)"
            : "(expected times on a CPU core: ML-1M- and LFM-2B-sized cells at the step rates the scale benchmark measured, others ML-100K's measured times scaled by dataset size and profile; docs/benchmarks.md)");
        return string.Join('\n', lines);
    }

    private static string Time(double seconds) => HumanTime.Format(seconds);
}
