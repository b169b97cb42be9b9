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
        Assert.Equal("table,model,dataset,method,metric,ours,paper,difference,status", csv[0]);
        Assert.Contains(csv, l => l.StartsWith("1,NMF,ML-100K,Original,hr@10,0.6253,0.6353,") && l.EndsWith(",done"));
        Assert.Contains(csv, l => l.StartsWith("1,NMF,ML-100K,U2U-R,hr@10,,0.4989,,missing"));
        Assert.Equal(1 + 4 * 4 + 3 * 1 + 4 * 8, csv.Length);
        var latex = report.Latex();
        Assert.Contains("\\begin{tabular}", latex);
        Assert.Contains("0.6253 (0.6353)", latex);
        Assert.Contains("\\multicolumn{4}{c}{missing}", latex);
    }
}
