using System.Globalization;
using System.Text;
using Unlearning.Experiments;

namespace Unlearning.Reporting;

/// <summary>An attack ladder (<see cref="AttackLadder"/>) as Markdown: one row per rung (view, attacker,
/// threat) with its metrics over the folds, then the strongest rung and what the ladder left out.</summary>
public static class LadderTable
{
    public static string Markdown(AttackLadder ladder, string? title = null)
    {
        var sb = new StringBuilder();
        sb.AppendLine(title ?? "Attack ladder: every attacker on each view under each threat; leakage |AUC - 0.5|, mean ± standard deviation over the folds");
        sb.AppendLine();
        sb.AppendLine("| view | attacker | threat | folds | accuracy | AUC | leakage |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        var strongest = ladder.Strongest;
        foreach (var e in ladder.Entries)
        {
            var (m, s) = (e.Report.Mean, e.Report.Std);
            string leakage = $"{F(m.Leakage)} ± {F(s.Leakage)}";
            sb.AppendLine($"| {GridReport.MarkdownCell(e.View)} | {e.Attacker} | {e.Threat} | {e.Report.Folds} | {F(m.Accuracy)} | {F(m.Auc)} ± {F(s.Auc)} | " +
                          $"{(ReferenceEquals(e, strongest) ? $"**{leakage}**" : leakage)} |");
        }
        sb.AppendLine();
        sb.AppendLine(strongest is null ? "Strongest: none (the ladder has no rung with a leakage)."
            : $"Strongest: leakage {F(strongest.Leakage)} (AUC {F(strongest.Report.Mean.Auc)}) by {strongest.Name}.");
        AttackTable.AppendList(sb, "Left out of the ladder:", ladder.Notes.Select(GridReport.MarkdownCell));
        AttackTable.AppendList(sb, $"Degenerate rungs ({Attack.DegenerateAttacker.Meaning}):",
            ladder.Entries.Where(e => e.Report.Degenerate is not null).Select(e => $"{e.Name}: {e.Report.Degenerate}"));
        AttackTable.AppendMultiClassNote(sb, ladder.Entries.Select(e => e.Report));
        return sb.ToString();
    }

    private static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
}
