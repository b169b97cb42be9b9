using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Unlearning.Attack;
using Unlearning.Experiments;
using Unlearning.Reporting;

namespace Unlearning.Tests.Reporting;

public class GridReportTests
{
    internal static CellResult Result(CellSpec spec, double hr10, double mlpAuc, double seconds) => new()
    {
        Cell = spec,
        DatasetLabel = TableLabels.Dataset(spec.Dataset),
        ProfileDeviatesFromPaper = spec.Profile != "paper",
        ConfigHash = new string('a', 64),
        DatasetHash = new string('b', 64),
        DatasetSummary = new DatasetSummary(943, 1349, 98344, new() { ["M"] = 670, ["F"] = 273 }),
        Recommendation = new() { ["hr@5"] = 0.4, ["ndcg@5"] = 0.3, ["hr@10"] = hr10, ["ndcg@10"] = 0.35 },
        Attacks =
        [
            new AttackReport("MLP", new ClassificationMetrics(0.6, 0.61, 0.62, mlpAuc), new ClassificationMetrics(0, 0, 0, 0), 546, 15),
            new AttackReport("Tree", new ClassificationMetrics(0.55, 0.56, 0.57, 0.58), new ClassificationMetrics(0, 0, 0, 0), 546, 15),
        ],
        Timing = new CellTiming(seconds, 0.01, "step", 1, 2, 0, seconds + 3, 1 << 20),
        Device = "cpu",
        Machine = "test",
        StartedAt = DateTimeOffset.UnixEpoch,
        FinishedAt = DateTimeOffset.UnixEpoch,
        ModelPath = "model.bin",
        EmbeddingsPath = "user_embeddings.npy",
    };

    private static GridReport Sample() => new(
    [
        new ReportCell(new CellSpec("ml-100k", "ncf", "d2d"), null, "original failed: boom"),
        new ReportCell(new CellSpec("ml-100k", "ncf", "original"), ReportValues.From(Result(new CellSpec("ml-100k", "ncf", "original"), 0.6253, 0.7307, 100))),
        new ReportCell(new CellSpec("ml-100k", "ncf", "u2u"), null),
        new ReportCell(new CellSpec("lfm-2b-synthetic", "lightgcn", "retrain"), ReportValues.From(Result(new CellSpec("lfm-2b-synthetic", "lightgcn", "retrain"), 0.7, 0.5, 1234.5))),
    ]);

    [Fact]
    public void MarkdownPutsEachValueNextToThePublishedOneAndMarksMissingCells()
    {
        var md = Sample().Markdown();
        Assert.Contains("| NMF | ML-100K | Original | 0.3000 / 0.3083 (-0.0083) | 0.4000 / 0.4532 (-0.0532) | 0.3500 / 0.3687 (-0.0187) | 0.6253 / 0.6353 (-0.0100) |", md);
        Assert.Contains("| NMF | ML-100K | D2D-R | failed: original failed: boom |", md);
        Assert.Contains("| NMF | ML-100K | U2U-R | missing |", md);
        Assert.Contains("LFM-2B (synthetic)", md);
        // Table 2 compares with the paper's seconds; original has no Table 2 row.
        Assert.Contains("| LightGCN | LFM-2B (synthetic) | Retrain | 1234.5 / 142472.0 (-141237.5) |", md);
        Assert.DoesNotContain("| NMF | ML-100K | Original | 100.0", md);
        // Table 3: MLP AUC with the paper's 0.7307.
        Assert.Contains("0.7307 / 0.7307 (+0.0000)", md);
    }

    /// <summary>The paper measured gender only: a cell of another attribute is not compared with it.</summary>
    [Fact]
    public void AnotherAttributeIsNotComparedWithThePaper()
    {
        var byAge = new CellSpec("ml-100k", "ncf", "original", "paper;data.attribute_column=age").Validate();
        var md = new GridReport([new ReportCell(byAge, ReportValues.From(Result(byAge, 0.6253, 0.7307, 100)))]).Markdown();
        Assert.Contains("| NMF | ML-100K | Original | 0.3000 | 0.4000 | 0.3500 | 0.6253 |", md);
        Assert.DoesNotContain("0.6353", md);
        Assert.Contains("0.6353", Sample().Markdown());
        Assert.Contains("NDCG@5 | HR@5", CellReport.Render(Result(byAge, 0.6, 0.7, 10)));
        Assert.DoesNotContain("/ 0.3083", CellReport.Render(Result(byAge, 0.6, 0.7, 10)));
        Assert.Equal("ML-100K by age", TableLabels.PaperDataset(byAge));
    }

    /// <summary>Headers come from the settings the cells were run with, and a table is titled a
    /// comparison with the paper only where the paper has values for it.</summary>
    [Fact]
    public void HeadersFollowTheSettingsUsedAndThePublishedValuesThere()
    {
        var tiny = new CellSpec("synthetic-small", "ncf", "original", "tiny").Validate();
        var md = new GridReport([new ReportCell(tiny, ReportValues.From(Result(tiny, 0.6, 0.7, 10)))]).Markdown();
        Assert.Contains("## Table 3: attack on the user representation (balanced classes, stratified 3-fold x 1)", md);
        Assert.StartsWith("# Tables 1-3: ours (the paper published no values for these cells)", md);
        Assert.DoesNotContain("ours / paper", md);
        var latex = new GridReport([new ReportCell(tiny, ReportValues.From(Result(tiny, 0.6, 0.7, 10)))]).Latex();
        Assert.Contains("Ours (the paper published no values for these cells).", latex);
        Assert.DoesNotContain("published value in parentheses", latex);
        Assert.Contains("stratified 3-fold x 1", latex);
        var changed = new CellSpec("ml-100k", "ncf", "original", "paper;attack.folds=10;attack.repeats=2").Validate();
        var both = new GridReport([new ReportCell(changed, ReportValues.From(Result(changed, 0.6, 0.7, 10))), new ReportCell(new CellSpec("ml-100k", "ncf", "original").Validate(), ReportValues.From(Result(new CellSpec("ml-100k", "ncf", "original"), 0.6, 0.7, 10)))]).Markdown();
        Assert.Contains("(balanced classes, stratified 10-fold x 2 or stratified 5-fold x 3, as each row's profile sets)", both);
        Assert.StartsWith("# Tables 1-3: ours / paper (difference)", both);

        var cell = CellReport.Render(Result(tiny, 0.6, 0.7, 10));
        Assert.Contains("Table 1 (recommendation): ours (the paper published none for synthetic-small / Original)", cell);
        Assert.Contains("Table 3 (attack, balanced classes, stratified 3-fold x 1): ours (the paper published none", cell);
        Assert.Contains("Table 3 (attack, balanced classes, stratified 5-fold x 3): ours / paper (difference)", CellReport.Render(Result(new CellSpec("ml-100k", "ncf", "original"), 0.6, 0.7, 10)));
    }

    /// <summary>An attacker that predicted one class for every user of its folds is flagged wherever its row is shown.</summary>
    [Fact]
    public void ADegenerateAttackerIsFlagged()
    {
        var spec = new CellSpec("ml-100k", "ncf", "original");
        var result = Result(spec, 0.6, 0.7, 10);
        result = result with { Attacks = [result.Attacks[0] with { SingleClassFolds = 15 }, result.Attacks[1] with { SingleClassFolds = 0 }] };
        var md = new GridReport([new ReportCell(spec, ReportValues.From(result))]).Markdown();
        Assert.Contains("Degenerate attackers (in such a fold the attacker learned nothing", md);
        Assert.Contains("* MLP on NMF / ML-100K / Original: predicted one class for every user in 15 of 15 folds", md);
        Assert.DoesNotContain("* Tree on", md);
        Assert.Contains("Degenerate attacker: MLP predicted one class for every user in 15 of 15 folds.", CellReport.Render(result));
        var report = new GridReport([new ReportCell(spec, ReportValues.From(result))]);
        Assert.Contains(",mlp_auc,0.7,0.7307,", report.Csv());
        Assert.Contains("degenerate: predicted one class for every user in 15 of 15 folds", report.Csv().Split('\n').Single(l => l.Contains(",mlp_auc,", StringComparison.Ordinal)));
        Assert.EndsWith(",", report.Csv().Split('\n').Single(l => l.Contains(",xgb_auc,", StringComparison.Ordinal)));
        Assert.Contains("MLP on NMF / ML-100K / Original: predicted one class for every user in 15 of 15 folds", report.Latex());
        Assert.DoesNotContain("Degenerate", Sample().Markdown());
        Assert.DoesNotContain("Degenerate", CellReport.Render(Result(spec, 0.6, 0.7, 10)));
    }

    /// <summary>A grid run under changed settings says, above its tables, which values differ from the paper's.</summary>
    [Fact]
    public void MarkdownListsTheSettingsThatDifferFromThePapers()
    {
        var changed = new CellSpec("ml-100k", "ncf", "d2d", "paper;unlearning.trade_off=0.01").Validate();
        var md = new GridReport([new ReportCell(changed, ReportValues.From(Result(changed, 0.6, 0.5, 10)))]).Markdown();
        Assert.Contains("Profiles: `paper;unlearning.trade_off=0.01`. Only `paper` follows the published protocol", md);
        Assert.Contains("* `paper;unlearning.trade_off=0.01`: unlearning.trade_off=0.01 (paper 1E-06)", md);
        Assert.DoesNotContain("Profiles:", Sample().Markdown());
    }

    /// <summary>A sweep's report names each row's settings and adds HR@10 against leakage, marking the
    /// cells that no other cell beats on both.</summary>
    [Fact]
    public void ASweepsReportPlacesEachCellOnTheUtilityPrivacyPlane()
    {
        ReportCell Cell(string method, string profile, double hr10, double mlpAuc)
        {
            var spec = new CellSpec("ml-100k", "ncf", method, profile).Validate();
            return new ReportCell(spec, ReportValues.From(Result(spec, hr10, mlpAuc, 10)));
        }
        var report = new GridReport(
        [
            Cell("original", "paper", 0.65, 0.75), Cell("retrain", "paper", 0.60, 0.55),
            Cell("d2d", "paper;unlearning.trade_off=0.01", 0.63, 0.52), Cell("d2d", "paper;unlearning.trade_off=1", 0.58, 0.44),
            new ReportCell(new CellSpec("ml-100k", "ncf", "d2d", "paper;unlearning.trade_off=0.1").Validate(), null, "boom"),
        ]);
        var points = report.UtilityAndPrivacy().ToDictionary(p => (p.Cell.Method, p.Cell.Profile));
        Assert.Equal(4, points.Count);
        Assert.Equal([true, true], points[("original", "paper")].ParetoOptimal);
        Assert.Equal([false, false], points[("retrain", "paper")].ParetoOptimal);
        Assert.Equal([true, false], points[("d2d", "paper;unlearning.trade_off=0.01")].ParetoOptimal);
        // AUC 0.44 leaks 0.06, more than retrain's 0.05, at a lower HR@10.
        Assert.Equal(0.06, points[("d2d", "paper;unlearning.trade_off=1")].Leakage[0], 9);
        Assert.Equal([false, false], points[("d2d", "paper;unlearning.trade_off=1")].ParetoOptimal);

        var md = report.Markdown();
        Assert.Contains("| NMF | ML-100K [unlearning.trade_off=0.01] | D2D-R | 0.3000 / ", md);
        Assert.Contains("| NMF | ML-100K [paper] | Original |", md);
        Assert.Contains("| NMF | ML-100K [unlearning.trade_off=0.1] | D2D-R | failed: boom |", md);
        Assert.Contains("## Utility and privacy", md);
        Assert.Contains("| NMF | ML-100K | D2D-R | unlearning.trade_off=0.01 | 0.6300 | 0.0200 * | 0.0800 |", md);
        Assert.Contains("| NMF | ML-100K | Original | paper | 0.6500 | 0.2500 * | 0.0800 * |", md);
        Assert.DoesNotContain("## Utility and privacy", Sample().Markdown());
    }

    /// <summary>A sweep over several seeds places each cell once, at its means over the seeds, with
    /// the half-widths of their intervals; Pareto-optimality compares the means.</summary>
    [Fact]
    public void ASweepOverSeedsPlacesEachCellAtItsMeans()
    {
        ReportCell Cell(string method, string profile, int seed, double hr10, double mlpAuc)
        {
            var spec = new CellSpec("ml-100k", "ncf", method, profile, seed).Validate();
            return new ReportCell(spec, ReportValues.From(Result(spec, hr10, mlpAuc, 10)));
        }
        var report = new GridReport(
        [
            Cell("original", "paper", 1, 0.64, 0.76), Cell("original", "paper", 2, 0.66, 0.74),
            Cell("d2d", "paper;unlearning.trade_off=1", 1, 0.60, 0.52), Cell("d2d", "paper;unlearning.trade_off=1", 2, 0.62, 0.50),
            Cell("d2d", "paper", 1, 0.63, 0.80), Cell("d2d", "paper", 2, 0.64, 0.80),
        ]);
        var points = report.UtilityAndPrivacy().ToDictionary(p => (p.Cell.Method, p.Cell.Profile));
        Assert.Equal(3, points.Count);
        var original = points[("original", "paper")];
        Assert.Equal((0.65, 0.25, 2), (Math.Round(original.Hr10, 12), Math.Round(original.Leakage[0], 12), original.Seeds));
        // t(0.975, 1) = 12.706205: half-width 12.706205 x sd / sqrt(2) with sd = 0.01 x sqrt(2).
        Assert.Equal(12.706205 * 0.01, original.Hr10HalfWidth!.Value, 5);
        Assert.Equal(0.0, original.LeakageHalfWidth![1]!.Value, 12); // the Tree AUC is 0.58 in every seed
        Assert.Equal([true, true], original.ParetoOptimal);
        Assert.Equal([true, false], points[("d2d", "paper;unlearning.trade_off=1")].ParetoOptimal);
        Assert.Equal([false, false], points[("d2d", "paper")].ParetoOptimal);

        var md = report.Markdown();
        Assert.Contains("Pareto-optimal within its model and dataset; means ± 95 % half-widths over the seeds", md);
        Assert.Contains("| NMF | ML-100K (2 seeds) | D2D-R | unlearning.trade_off=1 | 0.6100 ± 0.1271 | 0.0100 ± 0.1271 * | 0.0800 ± 0.0000 |", md);
    }

    /// <summary>Several seeds of a cell make one row: each value the mean ± the half-width of its 95 %
    /// interval (Student's t), the published value marked where it lies outside.</summary>
    [Fact]
    public void SeedsAreSummedUpAsMeansWithConfidenceIntervals()
    {
        ReportCell Seed(int seed, double hr10) =>
            new(new CellSpec("ml-100k", "ncf", "original", Seed: seed), ReportValues.From(Result(new CellSpec("ml-100k", "ncf", "original", Seed: seed), hr10, 0.7307, 100)));
        var report = new GridReport(
        [
            Seed(1, 0.60), Seed(2, 0.62), Seed(3, 0.64),
            new ReportCell(new CellSpec("ml-100k", "ncf", "d2d", Seed: 1), null, "boom"),
            new ReportCell(new CellSpec("ml-100k", "ncf", "d2d", Seed: 2), ReportValues.From(Result(new CellSpec("ml-100k", "ncf", "d2d", Seed: 2), 0.5, 0.5, 10))),
        ]);
        var hr10 = report.Table1().Single(r => r.Method == "Original").Values[3];
        // t(0.975, 2) = 4.302653: half-width 4.302653 x 0.02 / sqrt(3).
        Assert.Equal((0.62, 3, 0.02), (Math.Round(hr10.Ours!.Value, 12), hr10.N, Math.Round(hr10.Sd!.Value, 12)));
        Assert.Equal(4.302653 * 0.02 / Math.Sqrt(3), hr10.HalfWidth!.Value, 6);
        Assert.False(hr10.PaperOutside); // 0.6353 lies within 0.62 ± 0.0497

        var md = report.Markdown();
        Assert.Contains("Across seeds: mean ± half-width of its 95 % confidence interval", md);
        Assert.Contains("| NMF | ML-100K (3 seeds) | Original | ", md);
        Assert.Contains("| 0.6200 ± 0.0497 / 0.6353 (-0.0153) |", md);
        // Every seed's Tree AUC is 0.58: no spread, and the paper's 0.7186 lies outside.
        Assert.Matches(@"\| 0\.5800 ± 0\.0000 / 0\.[0-9]+ \(-0\.[0-9]+\) † \|", md);
        Assert.Contains("| NMF | ML-100K (1 of 2 seeds) | D2D-R | 0.3000 / ", md);

        var csv = report.Csv().Split('\n');
        Assert.Contains(csv, l => l.StartsWith("1,NMF,ML-100K (3 seeds),Original,hr@10,0.62") && l.Contains(",done,3,0.02") && l.EndsWith(",false,"));
        Assert.Contains("0.6200 $\\pm$ 0.0497 (0.6353)", report.Latex());
        Assert.DoesNotContain("Across seeds", Sample().Markdown());
    }

    [Fact]
    public void RowsFollowThePapersOrder()
    {
        var methods = Sample().Table1().Select(r => $"{r.Model}/{r.Method}").ToList();
        Assert.Equal(["NMF/Original", "NMF/U2U-R", "NMF/D2D-R", "LightGCN/Retrain"], methods);
    }

    [Fact]
    public void CsvAndLatexHoldEveryCell()
    {
        var report = Sample();
        var csv = report.Csv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("table,model,dataset,method,metric,ours,paper,difference,status,n,sd,half_width,paper_outside,note", csv[0]);
        Assert.Contains(csv, l => l.StartsWith("1,NMF,ML-100K,Original,hr@10,0.6253,0.6353,") && l.EndsWith(",done,1,,,,"));
        Assert.Contains(csv, l => l.StartsWith("1,NMF,ML-100K,U2U-R,hr@10,,0.4989,,missing"));
        Assert.Equal(1 + 4 * 4 + 3 * 1 + 4 * 8, csv.Length);
        var latex = report.Latex();
        Assert.Contains("\\begin{tabular}", latex);
        Assert.Contains("0.6253 (0.6353)", latex);
        Assert.Contains("\\multicolumn{4}{c}{missing}", latex);
    }

    private const string Awkward = "data \"x, y\"\nline 2 | 100% & co_op #1 $5 \\path {a} ~b ^c";

    private static GridReport Failing() => new(
    [
        new ReportCell(new CellSpec("my_set#1", "ncf", "d2d"), null, Awkward),
        new ReportCell(new CellSpec("my_set#1", "ncf", "u2u"), null, "first line\nsecond line"),
        new ReportCell(new CellSpec("my_set#1", "ncf", "original"), ReportValues.From(Result(new CellSpec("my_set#1", "ncf", "original"), 0.6, 0.7, 10))),
    ]);

    [Fact]
    public void CsvQuotesFailureTextsWithCommasQuotesAndLineBreaks()
    {
        using var parser = new CsvParser(new StringReader(Failing().Csv()), new CsvConfiguration(CultureInfo.InvariantCulture));
        var rows = new List<string[]>();
        while (parser.Read()) rows.Add(parser.Record!);
        Assert.All(rows, r => Assert.Equal(14, r.Length));
        var failed = rows.Where(r => r[3] == "D2D-R").ToList();
        Assert.Equal(4 + 1 + 8, failed.Count); // Tables 1, 2 and 3
        Assert.All(failed, r => Assert.Equal($"failed: {Awkward}", r[8]));
        Assert.All(rows.Where(r => r[3] == "U2U-R"), r => Assert.Equal("failed: first line\nsecond line", r[8]));
        Assert.All(rows.Skip(1), r => Assert.Equal("my_set#1", r[2]));
    }

    [Fact]
    public void LatexEscapesEverySpecialCharacter()
    {
        var latex = Failing().Latex();
        var line = latex.Split('\n').First(l => l.Contains("D2D-R"));
        var cell = line[(line.IndexOf("{c}{", StringComparison.Ordinal) + 4)..line.LastIndexOf("} \\\\", StringComparison.Ordinal)];
        Assert.Equal($"failed: {Awkward}".Replace("\n", " "), Unescape(cell));
        Assert.StartsWith("NMF & my\\_set\\#1 & D2D-R &", line);
    }

    [Fact]
    public void MarkdownCellsKeepTheTableShape()
    {
        var row = Failing().Markdown().Split('\n').First(l => l.Contains("D2D-R"));
        // model, dataset, method and the four Table 1 columns: seven cells, eight unescaped pipes.
        Assert.Equal(8, System.Text.RegularExpressions.Regex.Matches(row, @"(?<!\\)\|").Count);
        Assert.Contains("line 2", row);
    }

    /// <summary>Reads LaTeX text back; throws on a special character that was left unescaped.</summary>
    private static string Unescape(string latex)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < latex.Length; i++)
        {
            char c = latex[i];
            Assert.DoesNotContain(c, "#$%&_{}~^");
            if (c != '\\') { sb.Append(c); continue; }
            var rest = latex[(i + 1)..];
            var word = new[] { ("textbackslash{}", '\\'), ("textasciitilde{}", '~'), ("textasciicircum{}", '^') }.FirstOrDefault(w => rest.StartsWith(w.Item1, StringComparison.Ordinal));
            if (word.Item1 is not null) { sb.Append(word.Item2); i += word.Item1.Length; continue; }
            Assert.Contains(rest[0], "#$%&_{}");
            sb.Append(rest[0]);
            i++;
        }
        return sb.ToString();
    }
}
