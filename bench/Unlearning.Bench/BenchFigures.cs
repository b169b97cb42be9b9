using System.Globalization;
using System.Text;
using Unlearning.Experiments;
using Unlearning.Reporting;

namespace Unlearning.Bench;

public static class BenchFigures
{
    public static string Render(IReadOnlyList<BenchOutcome> outcomes, BenchOptions options, Provenance p)
    {
        var paper = PaperTables.Published;
        var sb = new StringBuilder();
        int failed = outcomes.Count(o => o.Result is null);
        sb.AppendLine($"# {TableLabels.Dataset(options.Dataset)} benchmark ({options.Profile} profile, seed {options.Seed})");
        sb.AppendLine();
        sb.AppendLine($"* commit {p.Commit}{(p.UncommittedChanges ? " with uncommitted changes" : "")}");
        sb.AppendLine($"* machine {p.Machine}: {p.Cpu}, {p.Cores} cores, {p.MemoryBytes / (1L << 30)} GiB; {p.Os}; {p.Runtime}; TorchSharp {p.TorchSharp}");
        sb.AppendLine($"* started {p.StartedAt:yyyy-MM-dd HH:mm:ss zzz}, finished {p.FinishedAt:yyyy-MM-dd HH:mm:ss zzz} ({(p.FinishedAt - p.StartedAt)?.TotalSeconds:F0} s)");
        sb.AppendLine($"* every cell computed in this run into {options.Output} (nothing reused), one after another, each in its own process, one TorchSharp thread, device {options.Device}{(options.RetrainEpochs is { } e ? $"; retrain and adv {e} epochs" : "")}");
        sb.AppendLine($"* {outcomes.Count - failed} of {outcomes.Count} cells done{(failed > 0 ? $", {failed} FAILED" : "")}");
        sb.AppendLine();
        sb.AppendLine("## Time and memory");
        sb.AppendLine();
        bool gpu = outcomes.Any(o => o.GpuPeakBytes is not null);
        sb.AppendLine($"| model | method | per epoch / step (s) | method total (s) | paper (s) | evaluation (s) | attack (s) | cell wall (s) | process (s) | peak memory (MiB) |{(gpu ? " GPU peak (MiB) |" : "")}");
        sb.AppendLine($"|---|---|---|---|---|---|---|---|---|---|{(gpu ? "---|" : "")}");
        foreach (var o in outcomes)
        {
            string model = TableLabels.Model(o.Cell.Model), method = TableLabels.Method(o.Cell.Method);
            if (o.Result is not { } r)
            {
                sb.AppendLine($"| {model} | {method} | FAILED: {GridReport.MarkdownCell(o.Error ?? "")} | | | | | | {F(o.ProcessSeconds, 1)} | |{(gpu ? " |" : "")}");
                continue;
            }
            var t = r.Timing;
            var ps = paper.Seconds(model, TableLabels.PaperDataset(o.Cell.Dataset), method);
            sb.AppendLine($"| {model} | {method} | {F(t.SecondsPerUnit, 4)} per {t.Unit} | {F(t.MethodSeconds, 1)} | {(ps is null ? "" : F(ps.Value, 0))} | {F(t.EvaluationSeconds, 1)} | {F(t.AttackSeconds, 1)} | {F(t.WallSeconds, 1)} | {F(o.ProcessSeconds, 1)} | {t.PeakWorkingSetBytes >> 20} |{(gpu ? $" {o.GpuPeakBytes >> 20} |" : "")}");
        }
        sb.AppendLine();
        sb.AppendLine("## Table 1 and Table 3 (ours / paper (difference))");
        sb.AppendLine();
        foreach (var o in outcomes)
            sb.AppendLine(o.Result is { } r ? CellReport.Render(r, paper) : $"## {TableLabels.Model(o.Cell.Model)} / {TableLabels.Method(o.Cell.Method)}: FAILED ({o.Error})\n");
        return sb.ToString();
    }

    private static string F(double v, int digits) => v.ToString($"F{digits}", CultureInfo.InvariantCulture);
}
