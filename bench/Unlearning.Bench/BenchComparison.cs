using System.Globalization;
using System.Text;
using System.Text.Json;
using Unlearning.Experiments;
using Unlearning.Reporting;

namespace Unlearning.Bench;

/// <summary>
/// One run's cells beside a reference run of the same cells (the device benchmark: the GPU beside
/// the CPU): every Table 1 and Table 3 value of both and their difference, the values that differ by
/// more than the tolerance marked, and the time per epoch / step of both.
///   dotnet run -c Release --project bench/Unlearning.Bench -- compare RUN.json REFERENCE.json [--tolerance 0.01] [--out FILE.md]
/// </summary>
public static class BenchComparison
{
    private static readonly string[] Table1 = ["ndcg@5", "hr@5", "ndcg@10", "hr@10"];

    public static int Run(string[] args)
    {
        var files = new List<string>();
        double tolerance = 0.01;
        string? output = null;
        try
        {
            for (int i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--tolerance":
                        tolerance = double.TryParse(Next(), CultureInfo.InvariantCulture, out var t) && t >= 0 ? t : throw new ArgumentException($"--tolerance needs a number >= 0, not '{args[i]}'");
                        break;
                    case "--out": output = Next(); break;
                    default:
                        if (args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unknown argument '{args[i]}'");
                        files.Add(args[i]);
                        break;
                }
            }
            if (files.Count != 2) throw new ArgumentException("compare needs two figures files: RUN.json REFERENCE.json");
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        BenchRun run, reference;
        try
        {
            run = BenchRun.Load(files[0]);
            reference = BenchRun.Load(files[1]);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        var (markdown, beyond) = Render(run, reference, tolerance);
        if (output is not null) File.WriteAllText(output, markdown);
        Console.WriteLine(markdown);
        Console.Error.WriteLine(beyond == 0 ? $"every compared value within {tolerance}" : $"{beyond} values differ by more than {tolerance}");
        return 0;
    }

    /// <returns>The Markdown, and how many values differ by more than <paramref name="tolerance"/>.</returns>
    public static (string Markdown, int Beyond) Render(BenchRun run, BenchRun reference, double tolerance)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {Describe(run)} beside {Describe(reference)}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"* run: commit {Short(run.Provenance.Commit)}, {run.Provenance.Machine}, {run.Provenance.Cpu}, {run.Provenance.StartedAt:yyyy-MM-dd HH:mm}");
        md.AppendLine(CultureInfo.InvariantCulture, $"* reference: commit {Short(reference.Provenance.Commit)}, {reference.Provenance.Machine}, {reference.Provenance.Cpu}, {reference.Provenance.StartedAt:yyyy-MM-dd HH:mm}");
        md.AppendLine();
        md.AppendLine("## Time");
        md.AppendLine();
        md.AppendLine("| model | method | profile | per epoch / step, run (s) | reference (s) | reference / run | run's GPU peak |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        var pairs = run.Cells.Select(c => (Run: c, Reference: reference.Cells.FirstOrDefault(r => SameCell(r, c)))).ToList();
        foreach (var (c, r) in pairs)
        {
            string per = c.Result is { } cr ? $"{F(cr.Timing.SecondsPerUnit, 4)} per {cr.Timing.Unit}" : $"failed: {GridReport.MarkdownCell(c.Error ?? "")}";
            string refPer = r?.Result is { } rr ? F(rr.Timing.SecondsPerUnit, 4) : r is null ? "not in the reference" : "failed";
            string ratio = c.Result is { } a && r?.Result is { } b && a.Timing.SecondsPerUnit > 0 ? $"{F(b.Timing.SecondsPerUnit / a.Timing.SecondsPerUnit, 1)} x" : "";
            string gpu = c.GpuPeakBytes is { } g ? $"{F(g / (double)(1L << 30), 2)} GiB" : "";
            md.AppendLine($"| {TableLabels.Model(c.Cell.Model)} | {TableLabels.Method(c.Cell.Method)} | {c.Cell.Profile} | {per} | {refPer} | {ratio} | {gpu} |");
        }
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"## Table 1 and Table 3: run / reference (difference), beyond {tolerance} in bold");
        md.AppendLine();
        md.AppendLine("| model | method | value | run | reference | difference |");
        md.AppendLine("|---|---|---|---|---|---|");
        int beyond = 0, compared = 0;
        foreach (var (c, r) in pairs)
        {
            if (c.Result is not { } a || r?.Result is not { } b) continue;
            foreach (var (name, ours, theirs) in Values(a, b))
            {
                double difference = ours - theirs;
                bool far = !(Math.Abs(difference) <= tolerance);
                compared++;
                if (far) beyond++;
                string d = $"{(difference >= 0 ? "+" : "")}{F(difference, 4)}";
                md.AppendLine($"| {TableLabels.Model(c.Cell.Model)} | {TableLabels.Method(c.Cell.Method)} | {name} | {F(ours, 4)} | {F(theirs, 4)} | {(far ? $"**{d}**" : d)} |");
            }
        }
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{compared} values compared, {beyond} beyond {tolerance}.");
        return (md.ToString(), beyond);
    }

    private static IEnumerable<(string Name, double Run, double Reference)> Values(CellResult run, CellResult reference)
    {
        foreach (var metric in Table1) yield return (metric.ToUpperInvariant(), run.Metric(metric), reference.Metric(metric));
        foreach (var attack in run.Attacks)
        {
            if (reference.Attacks.FirstOrDefault(a => a.Attacker == attack.Attacker) is not { } other) continue;
            yield return ($"{attack.Attacker} accuracy", attack.Mean.Accuracy, other.Mean.Accuracy);
            yield return ($"{attack.Attacker} AUC", attack.Mean.Auc, other.Mean.Auc);
        }
    }

    private static bool SameCell(BenchOutcome a, BenchOutcome b) => a.Cell == b.Cell;

    private static string Describe(BenchRun run) =>
        run.Cells.FirstOrDefault(c => c.Result is not null)?.Result is { } r ? $"{r.DatasetLabel} on {r.Device}" : "a run with no finished cell";

    private static string Short(string commit) => commit[..Math.Min(12, commit.Length)];

    private static string F(double v, int digits) => v.ToString($"F{digits}", CultureInfo.InvariantCulture);
}
