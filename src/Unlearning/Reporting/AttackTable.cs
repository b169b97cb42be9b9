using System.Globalization;
using System.Text;
using Unlearning.Experiments;

namespace Unlearning.Reporting;

/// <summary>Table 3 of attacks on several views of the user representation, each attacker's mean ±
/// standard deviation over folds, with the published AUC where the view is the paper's own.</summary>
public static class AttackTable
{
    /// <param name="protocol">How the users were split, from the settings used ("stratified 5-fold x 3").</param>
    public static string Markdown(string title, IReadOnlyList<ViewAttack> attacks, string protocol, Func<string, double?>? paperAuc = null)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# {title}");
        sb.AppendLine();
        sb.AppendLine($"Balanced classes, {protocol}; each value the mean ± standard deviation over the folds. " +
                      "Leakage is |mean AUC - 0.5| ± the standard deviation of the folds' |AUC - 0.5|.");
        sb.AppendLine();
        sb.AppendLine("| view | dims | attacker | accuracy | precision | recall | AUC | leakage | paper AUC |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var attack in attacks)
            foreach (var r in attack.Reports)
            {
                string paper = attack.View.Name == RepresentationAttack.Attacked && paperAuc?.Invoke(r.Attacker) is { } p ? F(p) : "";
                sb.AppendLine($"| {attack.View.Name}: {GridReport.MarkdownCell(attack.View.Description)} | {attack.Dim} | {r.Attacker} | " +
                              $"{F(r.Mean.Accuracy)} ± {F(r.Std.Accuracy)} | {F(r.Mean.Precision)} ± {F(r.Std.Precision)} | {F(r.Mean.Recall)} ± {F(r.Std.Recall)} | " +
                              $"{F(r.Mean.Auc)} ± {F(r.Std.Auc)} | {F(r.Mean.Leakage)} ± {F(r.Std.Leakage)} | {paper} |");
            }
        AppendList(sb, $"Degenerate attackers ({Attack.DegenerateAttacker.Meaning}):",
            attacks.SelectMany(a => a.Reports.Where(r => r.Degenerate is not null).Select(r => $"{a.View.Name}: {r.Attacker} {r.Degenerate}")));
        AppendMultiClassNote(sb, attacks.SelectMany(a => a.Reports));
        sb.AppendLine();
        sb.AppendLine($"Users: {string.Join(", ", attacks.Select(a => $"{a.View.Name} {a.Users:N0} ({a.Reports.FirstOrDefault()?.BalancedUsers ?? 0:N0} after balancing)"))}.");
        return sb.ToString();
    }

    /// <summary>A heading and a bullet per line, after a blank line; nothing where there are no lines.</summary>
    internal static void AppendList(StringBuilder sb, string heading, IEnumerable<string> lines)
    {
        var items = lines.ToList();
        if (items.Count == 0) return;
        sb.AppendLine();
        sb.AppendLine(heading);
        sb.AppendLine();
        foreach (var line in items) sb.AppendLine($"* {line}");
    }

    /// <summary>Where the attack was multi-class, what its columns mean.</summary>
    internal static void AppendMultiClassNote(StringBuilder sb, IEnumerable<Attack.AttackReport> reports)
    {
        if (reports.FirstOrDefault(r => r.Mean.GroupAuc is not null) is not { } multi) return;
        sb.AppendLine();
        sb.AppendLine($"{multi.Mean.GroupAuc!.Count} groups: {CellReport.MultiClassNote}");
    }

    private static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
}
