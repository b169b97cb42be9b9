using System.Globalization;

namespace Unlearning.Reporting;

/// <summary>The published Tables 1-3 (Li et al. 2023), embedded from their CSV files.</summary>
public sealed class PaperTables
{
    private readonly Dictionary<(string Model, string Dataset, string Method), Dictionary<string, double>> _table1 = new();
    private readonly Dictionary<(string Model, string Dataset, string Method), Dictionary<string, double>> _table3 = new();
    private readonly Dictionary<(string Model, string Dataset, string Method), double> _table2 = new();

    public static PaperTables Published { get; } = new();

    private PaperTables()
    {
        foreach (var row in ReadCsv("table1_recommendation.csv"))
            _table1[(row["model"], row["dataset"], row["method"])] = Numbers(row);
        foreach (var row in ReadCsv("table3_attack.csv"))
            _table3[(row["model"], row["dataset"], row["method"])] = Numbers(row);
        foreach (var row in ReadCsv("table2_seconds.csv"))
            foreach (var method in Catalog.Registry.Methods.All.Where(m => m.PaperTable2Column is not null))
                _table2[(row["model"], row["dataset"], method.Label)] = double.Parse(row[method.PaperTable2Column!], CultureInfo.InvariantCulture);
    }

    /// <summary>Table 1 value: ndcg@5, hr@5, ndcg@10, hr@10; labels as in the paper (NMF, ML-100K, D2D-R).</summary>
    public double? Recommendation(string model, string dataset, string method, string metric) =>
        _table1.TryGetValue((model, dataset, method), out var row) && row.TryGetValue(metric, out var v) ? v : null;

    /// <summary>Table 3 value: mlp_acc, mlp_precision, mlp_recall, mlp_auc, xgb_acc, ...</summary>
    public double? Attack(string model, string dataset, string method, string metric) =>
        _table3.TryGetValue((model, dataset, method), out var row) && row.TryGetValue(metric, out var v) ? v : null;

    /// <summary>Table 3 value of an attacker the catalog knows (by name or label: "MLP", "tree"):
    /// acc, precision, recall or auc; null where the paper has no such attacker or value.</summary>
    public double? Attack(string model, string dataset, string method, Catalog.AttackerDescriptor? attacker, string metric) =>
        attacker?.PaperPrefix is { } prefix ? Attack(model, dataset, method, $"{prefix}_{metric}") : null;

    /// <summary>Table 2: seconds of unlearning (U2U-R, D2D-R) or training (Retrain, Adv-InT).</summary>
    public double? Seconds(string model, string dataset, string method) =>
        _table2.TryGetValue((model, dataset, method), out var v) ? v : null;

    private static Dictionary<string, double> Numbers(Dictionary<string, string> row) =>
        row.Where(kv => double.TryParse(kv.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
           .ToDictionary(kv => kv.Key, kv => double.Parse(kv.Value, CultureInfo.InvariantCulture));

    private static IEnumerable<Dictionary<string, string>> ReadCsv(string name)
    {
        using var stream = typeof(PaperTables).Assembly.GetManifestResourceStream($"paper/{name}")
            ?? throw new InvalidOperationException($"embedded resource paper/{name} is missing");
        using var reader = new StreamReader(stream);
        var header = reader.ReadLine()!.Split(',');
        while (reader.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var cells = line.Split(',');
            yield return header.Zip(cells).ToDictionary(p => p.First.Trim(), p => p.Second.Trim());
        }
    }
}
