using System.Globalization;
using System.Text;
using Unlearning.Attack;
using Unlearning.Experiments;

namespace Unlearning.Reporting;

/// <summary>One cell's rows of Tables 1-3 as Markdown, each value next to the published one.</summary>
public static class CellReport
{
    private static readonly (string Ours, string Paper, string Header)[] Table1Columns =
        [("ndcg@5", "ndcg@5", "NDCG@5"), ("hr@5", "hr@5", "HR@5"), ("ndcg@10", "ndcg@10", "NDCG@10"), ("hr@10", "hr@10", "HR@10")];

    public static string Render(CellResult result, PaperTables? paper = null)
    {
        paper ??= PaperTables.Published;
        var spec = result.Cell;
        string model = TableLabels.Model(spec.Model), method = TableLabels.Method(spec.Method);
        string dataset = TableLabels.PaperDataset(spec);
        var sb = new StringBuilder();
        sb.AppendLine($"## {model} / {result.DatasetLabel} / {method} (profile {spec.Profile}{(result.ProfileDeviatesFromPaper ? ", deviates from the paper's protocol" : "")}, seed {spec.Seed})");
        if (result.DifferencesFromPaper.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine($"Differs from the paper: {string.Join("; ", result.DifferencesFromPaper)}");
        }
        sb.AppendLine();
        bool published = Table1Columns.Any(c => paper.Recommendation(model, dataset, method, c.Paper) is not null);
        string versus = published ? "ours / paper (difference)" : $"ours (the paper published none for {dataset} / {method})";
        sb.AppendLine($"Table 1 (recommendation): {versus}");
        sb.AppendLine();
        sb.AppendLine("| " + string.Join(" | ", Table1Columns.Select(c => c.Header)) + " |");
        sb.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", Table1Columns.Length)));
        sb.AppendLine("| " + string.Join(" | ", Table1Columns.Select(c =>
            Compare(result.Metric(c.Ours), paper.Recommendation(model, dataset, method, c.Paper)))) + " |");
        sb.AppendLine();
        if (result.RecommendationByGroup is { Count: > 0 } byGroup) sb.Append(ByGroup(result, byGroup));
        var folds = TableLabels.AttackProtocol(spec.Profile) ?? $"{result.Attacks.FirstOrDefault()?.Folds} folds in all";
        bool publishedAttack = result.Attacks.Any(a => paper.Attack(model, dataset, method, Catalog.Registry.Attackers.Find(a.Attacker), "auc") is not null);
        sb.AppendLine($"Table 3 (attack, balanced classes, {folds}): {(publishedAttack ? "ours / paper (difference)" : $"ours (the paper published none for {dataset} / {method})")}");
        sb.AppendLine();
        sb.AppendLine("| attacker | accuracy | precision | recall | AUC | leakage abs(AUC-0.5) |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var attack in result.Attacks)
        {
            var attacker = Catalog.Registry.Attackers.Find(attack.Attacker);
            double? P(string m) => paper.Attack(model, dataset, method, attacker, m);
            var m = attack.Mean;
            var paperAuc = P("auc");
            sb.AppendLine($"| {attack.Attacker} | {Compare(m.Accuracy, P("acc"))} | {Compare(m.Precision, P("precision"))} | {Compare(m.Recall, P("recall"))} | {Compare(m.Auc, paperAuc)} | {Compare(m.Leakage, paperAuc is null ? null : Math.Abs(paperAuc.Value - 0.5))} |");
        }
        var degenerate = result.Attacks.Where(a => a.Degenerate is not null).ToList();
        if (degenerate.Count > 0)
        {
            sb.AppendLine();
            foreach (var attack in degenerate) sb.AppendLine($"Degenerate attacker: {attack.Attacker} {attack.Degenerate}.");
            sb.AppendLine($"({char.ToUpperInvariant(DegenerateAttacker.Meaning[0])}{DegenerateAttacker.Meaning[1..]}.)");
        }
        if (result.Attacks.FirstOrDefault(a => a.Mean.GroupAuc is not null) is not null)
        {
            var names = result.DatasetSummary.Groups.Keys.ToList();
            sb.AppendLine();
            sb.AppendLine($"{names.Count} groups: {MultiClassNote}");
            foreach (var attack in result.Attacks.Where(a => a.Mean.GroupAuc is not null))
                sb.AppendLine($"- {attack.Attacker}, one-vs-rest AUC by group: " +
                              string.Join(", ", attack.Mean.GroupAuc!.Select((auc, g) => $"{(g < names.Count ? names[g] : g.ToString(CultureInfo.InvariantCulture))} {F(auc)}")));
        }
        sb.AppendLine();
        if (result.Ladder is { } ladder)
        {
            sb.Append(LadderTable.Markdown(ladder));
            sb.AppendLine();
        }
        var t = result.Timing;
        var paperSeconds = paper.Seconds(model, dataset, method);
        sb.AppendLine($"Table 2 (time of the {(spec.NeedsOriginal ? "unlearning" : "training")} computation, evaluation excluded): " +
                      $"{t.MethodSeconds.ToString("F1", CultureInfo.InvariantCulture)} s on {result.Device}" +
                      (paperSeconds is { } ps ? $" (paper: {ps} s)" : "") +
                      $"; {t.SecondsPerUnit.ToString(t.SecondsPerUnit < 0.1 ? "F4" : "F2", CultureInfo.InvariantCulture)} s per {t.Unit}; " +
                      $"cell wall time {t.WallSeconds.ToString("F1", CultureInfo.InvariantCulture)} s" +
                      (t.LadderSeconds is { } ladderSeconds ? $" (attack {t.AttackSeconds.ToString("F1", CultureInfo.InvariantCulture)} s, ladder {ladderSeconds.ToString("F1", CultureInfo.InvariantCulture)} s)" : "") +
                      $"; peak working set {t.PeakWorkingSetBytes / (1 << 20)} MiB");
        return sb.ToString();
    }

    /// <summary>Table 1's metrics for each attribute group's users, and the gap between the best and the
    /// worst served group (which one leads): does the method cost one group more than another?</summary>
    private static string ByGroup(CellResult result, Dictionary<string, Dictionary<string, double>> byGroup)
    {
        var sb = new StringBuilder();
        sb.AppendLine("Recommendation by attribute group (each group's test users):");
        sb.AppendLine();
        sb.AppendLine("| group | users | " + string.Join(" | ", Table1Columns.Select(c => c.Header)) + " |");
        sb.AppendLine("|---|---|" + string.Concat(Enumerable.Repeat("---|", Table1Columns.Length)));
        foreach (var (group, metrics) in byGroup)
            sb.AppendLine($"| {group} | {result.DatasetSummary.Groups.GetValueOrDefault(group)} | " +
                          string.Join(" | ", Table1Columns.Select(c => F(metrics.GetValueOrDefault(c.Ours, double.NaN)))) + " |");
        sb.AppendLine("| gap (largest - smallest) | | " + string.Join(" | ", Table1Columns.Select(c => Gap(byGroup, c.Ours))) + " |");
        sb.AppendLine();
        return sb.ToString();
    }

    /// <summary>"0.0123 (M ahead)": the largest group value minus the smallest, naming the leading group.</summary>
    public static string Gap(IReadOnlyDictionary<string, Dictionary<string, double>> byGroup, string metric)
    {
        var values = byGroup.Where(g => g.Value.ContainsKey(metric)).Select(g => (Group: g.Key, Value: g.Value[metric])).ToList();
        if (values.Count < 2) return "";
        var (high, low) = (values.MaxBy(v => v.Value), values.MinBy(v => v.Value));
        return high.Value == low.Value ? F(0) : $"{F(high.Value - low.Value)} ({high.Group} ahead)";
    }

    /// <summary>What the attack columns mean where the attribute has more than two groups.</summary>
    public const string MultiClassNote = "the attackers are multi-class; accuracy counts the most probable group, precision, recall and AUC " +
                                         "are the means over groups (one-vs-rest AUC), and leakage is the largest |AUC - 0.5| of a group.";

    public static string Compare(double ours, double? published) =>
        double.IsNaN(ours) ? "n/a"
        : published is { } p ? $"{F(ours)} / {F(p)} ({(ours - p >= 0 ? "+" : "")}{F(ours - p)})"
        : F(ours);

    private static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
}
