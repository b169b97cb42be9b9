using System.Globalization;
using System.Text;
using Unlearning.Attack;
using Unlearning.Catalog;
using Unlearning.Experiments;

namespace Unlearning.Reporting;

/// <summary>
/// Tables 1, 2 and 3 laid out like the paper (rows: model x dataset x method) in Markdown, CSV and
/// LaTeX, each value next to the published one with the difference. Cells that failed or have no
/// result are shown as such, never dropped.
/// </summary>
public sealed class GridReport(IReadOnlyList<ReportCell> cells, PaperTables? paper = null)
{
    private readonly PaperTables _paper = paper ?? PaperTables.Published;

    public static readonly string[] Table1Metrics = ["ndcg@5", "hr@5", "ndcg@10", "hr@10"];
    /// <summary>The attackers of Table 3: the protocol's, and any other the cells were attacked with, in
    /// the catalog's order. Results are keyed by the attacker's label ("MLP").</summary>
    public IReadOnlyList<AttackerDescriptor> Attackers { get; } = Catalog.Registry.Attackers.All
        .Where(a => a.InProtocol || cells.Any(c => c.Result?.Attacks.ContainsKey(a.Label) == true)).ToList();

    /// <summary>The prefix of an attacker's columns in report.csv: the published table's ("xgb" for the trees), else its name.</summary>
    private static string Prefix(AttackerDescriptor attacker) => attacker.PaperPrefix ?? attacker.Name;
    public static readonly string[] AttackMetrics = ["acc", "precision", "recall", "auc"];

    /// <summary>One table as rows of (row labels, cells): each cell is (ours, paper, status).</summary>
    /// <param name="Finished">The values of the row's finished cells (its seeds).</param>
    public sealed record Row(string Model, string Dataset, string Method, IReadOnlyList<Value> Values, string? Status, IReadOnlyList<ReportValues>? Finished = null)
    {
        /// <summary>What the tables say of the attacker where it was degenerate in some of the row's cells; null where never.</summary>
        public string? Degenerate(string attacker)
        {
            var notes = (Finished ?? []).Select(f => f.Degenerate?.GetValueOrDefault(attacker)).ToList();
            var flagged = notes.Where(n => n is not null).ToList();
            return flagged.Count == 0 ? null : notes.Count == 1 ? $"degenerate: {flagged[0]}" : $"degenerate in {flagged.Count} of {notes.Count} seeds: {flagged[0]}";
        }
    }

    /// <param name="Ours">One seed's value, or the mean over the seeds that finished.</param>
    /// <param name="N">Seeds behind <paramref name="Ours"/>.</param>
    /// <param name="Sd">Sample standard deviation over the seeds (n ≥ 2).</param>
    /// <param name="HalfWidth">Half-width of the 95 % confidence interval of the mean (Student's t, n ≥ 2).</param>
    /// <param name="Label">What the tables say beside the value (who reached the strongest leakage); null: nothing.</param>
    public sealed record Value(double? Ours, double? Paper, int N = 1, double? Sd = null, double? HalfWidth = null, string? Label = null)
    {
        public double? Difference => Ours is { } o && Paper is { } p ? o - p : null;

        /// <summary>The published value lies outside our interval.</summary>
        public bool PaperOutside => HalfWidth is { } h && Difference is { } d && Math.Abs(d) > h;

        /// <summary>Mean, deviation and interval of the values of several seeds.</summary>
        public static Value Over(IReadOnlyList<double> values, double? paper)
        {
            if (values.Count == 0) return new Value(null, paper, 0);
            if (values.Count == 1) return new Value(values[0], paper);
            double mean = values.Average();
            double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
            double t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, values.Count - 1, 0.975);
            return new Value(mean, paper, values.Count, sd, t * sd / Math.Sqrt(values.Count));
        }
    }

    // Each table is built once: the Markdown, CSV and LaTeX of a report all show it.
    private IReadOnlyList<Row>? _table1, _table2, _table3;

    public IReadOnlyList<Row> Table1() => _table1 ??= Rows(_ => true, (r, model, dataset, method) =>
        Table1Metrics.Select(m => Value.Over(Finished(r, x => x.Metric(m)), _paper.Recommendation(model, dataset, method, m))).ToList());

    public IReadOnlyList<Row> Table2() => _table2 ??= Rows(c => Catalog.Registry.Methods.Find(c.Cell.Method)?.InTable2 ?? true, (r, model, dataset, method) =>
        [Value.Over(Finished(r, x => x.MethodSeconds), _paper.Seconds(model, dataset, method))]);

    public IReadOnlyList<Row> Table3() => _table3 ??= Rows(_ => true, (r, model, dataset, method) =>
        [
            .. Attackers.SelectMany(a => Table3Metrics.Select(m => Value.Over(Finished(r, x => AttackValue(x, a.Label, m)), _paper.Attack(model, dataset, method, a, m)))),
            .. Ladder ? [Strongest(r)] : Array.Empty<Value>(),
        ]);

    /// <summary>Some cell climbed the attack ladder (<c>attack.ladder=true</c>): Table 3 has a strongest
    /// column and the utility/privacy plot can draw the strongest leakage.</summary>
    public bool Ladder { get; } = cells.Any(c => c.Result?.Strongest is not null);

    /// <summary>The strongest leakage of a row's cells (their seeds' mean, with its interval), labelled
    /// with who reached it: one attacker, view and threat where every seed agrees, else each with the
    /// number of seeds it won, most first (ties in the ladder's order).</summary>
    private static Value Strongest(IReadOnlyList<ReportValues> seeds)
    {
        var strongest = seeds.Where(s => s.Strongest is not null).Select(s => s.Strongest!).ToList();
        return Value.Over(strongest.Select(s => s.Leakage).ToList(), null) with { Label = Reached(strongest) };
    }

    /// <summary>Who reached the strongest leakage across seeds: "kNN, full, stale" where all agree, else
    /// "kNN, full, stale in 2 of 3 seeds; MLP, attacked, paper in 1" (most seeds first; equal counts in
    /// the order of the ladder's tie rule); null for none.</summary>
    public static string? Reached(IReadOnlyList<StrongestAttack> seeds)
    {
        var byRung = seeds.GroupBy(s => s.Name)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => AttackLadder.TieRank(g.First().Attacker, g.First().View, g.First().Threat))
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        return byRung.Count switch
        {
            0 => null,
            1 => byRung[0].Key,
            _ => string.Join("; ", byRung.Select((g, i) => i == 0 ? $"{g.Key} in {g.Count()} of {seeds.Count} seeds" : $"{g.Key} in {g.Count()}")),
        };
    }

    private IReadOnlyList<Row>? _byGroup;

    /// <summary>Table 1's metrics of each attribute group's users, a row per (cell, group) and a row of
    /// the gap (largest group minus smallest, naming the group ahead), each with its change against the
    /// Original of the same dataset, model and seed (the mean of the seeds' differences): does a method
    /// cost one group more than another? Cells whose results predate the groups' metrics are left out.</summary>
    public IReadOnlyList<Row> ByGroupTable() => _byGroup ??= BuildByGroupTable();

    public static readonly string[] ByGroupMetrics = [.. Table1Metrics, "delta_ndcg@10", "delta_hr@10"];

    private List<Row> BuildByGroupTable()
    {
        var measured = cells.Where(c => c.Result?.RecommendationByGroup is { Count: > 0 }).ToList();
        var byCell = measured.ToDictionary(c => c.Cell);
        var rows = new List<Row>();
        var scopes = InTableOrder(measured.GroupBy(c => AcrossSeeds ? c.Cell with { Seed = 0 } : c.Cell), g => g.Key);
        foreach (var scope in scopes)
        {
            var seeds = scope.ToList();
            var original = seeds.Select(c => ComparedOriginal(c.Cell) is { } o ? byCell.GetValueOrDefault(o) : null).ToList();
            string model = TableLabels.Model(scope.Key.Model), method = TableLabels.Method(scope.Key.Method);
            string dataset = TableLabels.Dataset(scope.Key.Dataset) + ProfileSuffix(scope.Key) + (AcrossSeeds ? $" ({seeds.Count} seeds)" : SeedSuffix(scope.Key));
            var groups = seeds[0].Result!.RecommendationByGroup!.Keys.ToList();
            foreach (var group in groups)
            {
                double? Of(ReportCell? c, string metric) => c?.Result?.RecommendationByGroup?.GetValueOrDefault(group)?.GetValueOrDefault(metric);
                rows.Add(new Row(model, dataset, $"{method}: {group}", Values(seeds, original, Of), null));
            }
            double? Gap(ReportCell? c, string metric) =>
                c?.Result?.RecommendationByGroup is { } g && groups.All(x => g.GetValueOrDefault(x)?.ContainsKey(metric) == true)
                    ? groups.Max(x => g[x][metric]) - groups.Min(x => g[x][metric]) : null;
            var ahead = groups.MaxBy(x => seeds.Average(c => c.Result!.RecommendationByGroup!.GetValueOrDefault(x)?.GetValueOrDefault("hr@10") ?? double.NaN));
            rows.Add(new Row(model, dataset, $"{method}: gap ({ahead} ahead in HR@10)", Values(seeds, original, Gap), null));
        }
        return rows;

        static List<Value> Values(List<ReportCell> seeds, List<ReportCell?> originals, Func<ReportCell?, string, double?> of)
        {
            var values = Table1Metrics.Select(m => Value.Over(seeds.Select(c => of(c, m)).Where(v => v is not null).Select(v => v!.Value).ToList(), null)).ToList();
            foreach (var metric in new[] { "ndcg@10", "hr@10" })
                values.Add(Value.Over(seeds.Select((c, i) => of(c, metric) - of(originals[i], metric)).Where(v => v is not null).Select(v => v!.Value).ToList(), null));
            return values;
        }
    }

    /// <summary>The Original a cell is compared with: the one it starts from, or for a method that trains
    /// (Retrain, Adv-InT) the one the unlearning methods start from, under the same settings; none for that Original itself.</summary>
    private static CellSpec? ComparedOriginal(CellSpec cell)
    {
        if (cell.NeedsOriginal) return cell.OriginalCell;
        var original = Catalog.Registry.Methods.All.Select(m => m.StartsFrom).FirstOrDefault(m => m is not null);
        return original is null || original == cell.Method ? null : cell with { Method = original, Profile = ProfileSettings.ForOriginal(cell.Profile) };
    }

    private static List<double> Finished(IReadOnlyList<ReportValues> seeds, Func<ReportValues, double?> value) =>
        seeds.Select(value).Where(v => v is not null).Select(v => v!.Value).ToList();

    /// <summary>True where some cell was run with several seeds: rows are then one per cell across
    /// its seeds, each value their mean with a 95 % confidence interval.</summary>
    public bool AcrossSeeds { get; } = cells.GroupBy(c => c.Cell with { Seed = 0 }).Any(g => g.Count() > 1);

    /// <summary>Some cell's numbers were made up by the benchmark engine (<c>Cells__Engine=simulated</c>):
    /// every table and plot of the report says so.</summary>
    public bool Simulated { get; } = cells.Any(c => c.Result?.Simulated == true);

    /// <summary>What a simulated report says first, in each of its files.</summary>
    public const string SimulatedBanner = "SIMULATED engine: these numbers are made up by the benchmark engine, not results";

    /// <summary>The grid holds several profiles (a sweep).</summary>
    private bool SeveralProfiles { get; } = cells.Select(c => c.Cell.Profile).Distinct().Count() > 1;

    private static double? AttackValue(ReportValues? r, string attacker, string metric)
    {
        var mean = r is not null && r.Attacks.TryGetValue(attacker, out var m) ? m : null;
        return mean is null ? null : metric switch
        {
            "acc" => mean.Accuracy, "precision" => mean.Precision, "recall" => mean.Recall, "auc" => mean.Auc, "leakage" => mean.Leakage, _ => null,
        };
    }

    private List<Row> Rows(Func<ReportCell, bool> include, Func<IReadOnlyList<ReportValues>, string, string, string, List<Value>> values)
    {
        if (AcrossSeeds)
            return InTableOrder(cells.Where(include).GroupBy(c => c.Cell with { Seed = 0 }), g => g.Key)
                .Select(g =>
                {
                    string model = TableLabels.Model(g.Key.Model), method = TableLabels.Method(g.Key.Method);
                    var finished = g.Where(c => c.Result is not null).Select(c => c.Result!).ToList();
                    int seeds = g.Count();
                    string status = finished.Count > 0 ? "" : g.First().Failure is { } failure ? $"failed: {failure}" : "missing";
                    string label = finished.Count == seeds ? $" ({seeds} seeds)" : $" ({finished.Count} of {seeds} seeds)";
                    return new Row(model, TableLabels.Dataset(g.Key.Dataset) + ProfileSuffix(g.Key) + label, method,
                        values(finished, model, TableLabels.PaperDataset(g.Key), method), status.Length == 0 ? null : status, finished);
                })
                .ToList();
        return InTableOrder(cells.Where(include), c => c.Cell)
            .Select(c =>
            {
                string model = TableLabels.Model(c.Cell.Model), method = TableLabels.Method(c.Cell.Method);
                string status = c.Result is not null ? "" : c.Failure is not null ? $"failed: {c.Failure}" : "missing";
                IReadOnlyList<ReportValues> finished = c.Result is { } r ? [r] : [];
                return new Row(model, TableLabels.Dataset(c.Cell.Dataset) + ProfileSuffix(c.Cell) + SeedSuffix(c.Cell), method,
                    values(finished, model, TableLabels.PaperDataset(c.Cell), method), status.Length == 0 ? null : status, finished);
            })
            .ToList();
    }

    /// <summary>The tables' row order: model and dataset as the paper lists them, then method (the
    /// catalog's order), settings (swept values as numbers) and seed.</summary>
    private static IOrderedEnumerable<T> InTableOrder<T>(IEnumerable<T> rows, Func<T, CellSpec> cell) => rows
        .OrderBy(r => Catalog.Registry.Models.Order(cell(r).Model))
        .ThenBy(r => Catalog.Registry.Datasets.Order(TableLabels.PaperDataset(cell(r).Dataset)))
        .ThenBy(r => cell(r).Dataset)
        .ThenBy(r => Catalog.Registry.Methods.Order(cell(r).Method))
        .ThenBy(r => cell(r).Profile, ProfileOrder.Instance)
        .ThenBy(r => cell(r).Seed);

    /// <summary>The settings in which a profile differs from the paper's; none for a profile this
    /// engine no longer knows (a stored result of an older one).</summary>
    private static IReadOnlyList<string> Differences(string profile)
    {
        try { return ProfileSettings.DifferencesFromPaper(ExperimentProfile.Get(profile)); }
        catch (ArgumentException) { return []; }
    }

    /// <summary>Where the grid holds several profiles (a sweep), each row names its own: its settings
    /// beyond the base profile, or the base profile alone.</summary>
    private string ProfileSuffix(CellSpec cell) => SeveralProfiles ? $" [{Settings(cell.Profile)}]" : "";

    private static string Settings(string profile) =>
        profile.IndexOf(ProfileSettings.Separator) is var at and > 0 ? profile[(at + 1)..] : profile;

    /// <summary>The grid holds several seeds: a row of one cell names its seed.</summary>
    private bool SeveralSeeds { get; } = cells.Select(c => c.Cell.Seed).Distinct().Count() > 1;

    private string SeedSuffix(CellSpec cell) => SeveralSeeds ? $" (seed {cell.Seed})" : "";

    private static readonly string[] Table1Headers = ["NDCG@5", "HR@5", "NDCG@10", "HR@10"];
    private static readonly string[] Table2Headers = ["seconds"];
    private static readonly string[] ByGroupHeaders = [.. Table1Headers, "NDCG@10 vs Original", "HR@10 vs Original"];
    private string[] Table3Headers => [.. Attackers.SelectMany(a => Table3Metrics.Select(m => $"{a.Label} {m}")), .. Ladder ? ["strongest"] : Array.Empty<string>()];

    /// <summary>Table 3's metrics in report.csv: each attacker's, then the strongest leakage where some cell climbed the ladder.</summary>
    private string[] Table3CsvMetrics => [.. Attackers.SelectMany(a => Table3Metrics.Select(m => $"{Prefix(a)}_{m}")), .. Ladder ? ["strongest_leakage"] : Array.Empty<string>()];

    /// <summary>What Table 3's strongest column holds, said below the table where it has one.</summary>
    public const string StrongestNote = "Strongest: the largest mean leakage |AUC - 0.5| of the cell's attack ladder (every attacker on the attacked " +
                                        "and the full user representation, under the paper's, the stale and the disclosed threat where they apply), " +
                                        "with the attacker, view and threat that reached it (across seeds, each with the seeds it won).";

    /// <summary>Some cell has an attribute other than the paper's gender, whose attack may be multi-class.</summary>
    private bool OtherAttributes { get; } = cells.Any(c => TableLabels.OtherAttribute(c.Cell.Profile) is not null);

    /// <summary>Table 3's metrics of each attacker: the paper's, and the leakage where an attribute may
    /// have more than two groups (it is then not |AUC - 0.5|).</summary>
    private string[] Table3Metrics => OtherAttributes ? AttackMetricsWithLeakage : AttackMetrics;

    private static readonly string[] AttackMetricsWithLeakage = [.. AttackMetrics, "leakage"];

    /// <summary>Some value of the tables has a published counterpart.</summary>
    private bool AnyPublished() => Table1().Concat(Table2()).Concat(Table3()).Any(r => r.Values.Any(v => v.Paper is not null));

    /// <summary>Table 3's split, from the settings the cells were run with: "stratified 5-fold x 3".</summary>
    private string AttackProtocol()
    {
        var protocols = cells.Select(c => TableLabels.AttackProtocol(c.Cell.Profile) ?? "as its stored result was made").Distinct().ToList();
        return protocols.Count == 1 ? protocols[0] : $"{string.Join(" or ", protocols)}, as each row's profile sets";
    }

    /// <summary>Each finished cell whose attacker predicted one class for every user of a fold.</summary>
    private IEnumerable<string> DegenerateAttackers() =>
        cells.Where(c => c.Result?.Degenerate is { Count: > 0 })
            .SelectMany(c => c.Result!.Degenerate!.Select(d =>
                $"{d.Key} on {TableLabels.Model(c.Cell.Model)} / {TableLabels.Dataset(c.Cell.Dataset)}{ProfileSuffix(c.Cell)} / {TableLabels.Method(c.Cell.Method)}" +
                $"{SeedSuffix(c.Cell)}: {d.Value}"));

    public string Markdown()
    {
        var sb = new StringBuilder();
        if (Simulated) sb.AppendLine($"> **{SimulatedBanner}.**\n");
        sb.AppendLine(AnyPublished() ? "# Tables 1-3: ours / paper (difference)" : "# Tables 1-3: ours (the paper published no values for these cells)");
        sb.AppendLine();
        var profiles = cells.Select(c => c.Cell.Profile).Distinct().ToList();
        if (profiles.Any(p => p != "paper"))
        {
            sb.AppendLine($"Profiles: {string.Join(", ", profiles.Select(p => $"`{p}`"))}. Only `paper` follows the published protocol; the others deviate from it:");
            sb.AppendLine();
            foreach (var profile in profiles.Where(p => p != "paper"))
                sb.AppendLine($"* `{profile}`: {string.Join("; ", Differences(profile))}");
            sb.AppendLine();
        }
        if (AcrossSeeds)
            sb.AppendLine("Across seeds: mean ± half-width of its 95 % confidence interval (Student's t, n - 1 degrees of freedom) / paper (difference); † marks a published value outside the interval.\n");
        AppendMarkdown(sb, "Table 1: recommendation", Table1Headers, Table1(), "F4");
        AppendMarkdown(sb, "Table 2: running time of unlearning (U2U-R, D2D-R) or training (Retrain, Adv-InT), seconds", Table2Headers, Table2(), "F1");
        AppendMarkdown(sb, $"Table 3: attack on the user representation (balanced classes, {AttackProtocol()})", Table3Headers, Table3(), "F4");
        if (Ladder)
        {
            sb.AppendLine(StrongestNote);
            sb.AppendLine();
        }
        if (ByGroupTable().Count > 0)
            AppendMarkdown(sb, "Table 1 by attribute group: each group's users, the gap between groups, and the change against the Original of the same seed", ByGroupHeaders, ByGroupTable(), "F4");
        var degenerate = DegenerateAttackers().ToList();
        if (degenerate.Count > 0)
        {
            sb.AppendLine($"Degenerate attackers ({DegenerateAttacker.Meaning}):");
            sb.AppendLine();
            foreach (var line in degenerate) sb.AppendLine($"* {MarkdownCell(line)}");
            sb.AppendLine();
        }
        if (OtherAttributes)
        {
            sb.AppendLine($"Where the attribute has more than two values, {CellReport.MultiClassNote}");
            sb.AppendLine();
        }
        if (SeveralProfiles) AppendUtilityAndPrivacy(sb);
        return sb.ToString();
    }

    /// <summary>HR@10 against each attacker's leakage |AUC - 0.5|, one point per finished cell, or
    /// across seeds one per cell with the means over its seeds. Within a model, dataset (and seed), a
    /// point is Pareto-optimal for an attacker when no other has an HR@10 at least as high and a
    /// leakage at most as low, one of them strictly.</summary>
    /// <param name="axis">Each attacker's leakage (a value per attacker, the default), or the strongest of
    /// the cells' attack ladders (one value; only where <see cref="Ladder"/>).</param>
    public IReadOnlyList<UtilityPrivacyPoint> UtilityAndPrivacy(LeakageAxis axis = LeakageAxis.Attackers)
    {
        if (axis == LeakageAxis.Strongest && !Ladder) throw new InvalidOperationException("no cell of the report climbed the attack ladder: it has no strongest leakage");
        var finished = cells.Where(c => c.Result?.Metric("hr@10") is not null).ToList();
        double Leak(ReportValues r, string attacker) => r.Attacks.TryGetValue(attacker, out var m) ? m.Leakage : double.NaN;
        Func<ReportValues, double>[] leaks = axis == LeakageAxis.Strongest
            ? [r => r.Strongest?.Leakage ?? double.NaN]
            : Attackers.Select(a => (Func<ReportValues, double>)(r => Leak(r, a.Label))).ToArray();
        var points = AcrossSeeds
            ? finished.GroupBy(c => c.Cell with { Seed = 0 }).Select(g =>
            {
                var hr = Value.Over(g.Select(c => c.Result!.Metric("hr@10")!.Value).ToList(), null);
                var leakage = leaks.Select(leak => Value.Over(g.Select(c => leak(c.Result!)).Where(v => !double.IsNaN(v)).ToList(), null)).ToArray();
                return new UtilityPrivacyPoint(g.Key, hr.Ours!.Value, leakage.Select(v => v.Ours ?? double.NaN).ToArray(), [],
                    g.Count(), hr.HalfWidth, leakage.Select(v => v.HalfWidth).ToArray());
            }).ToList()
            : finished.Select(c => new UtilityPrivacyPoint(c.Cell, c.Result!.Metric("hr@10")!.Value,
                leaks.Select(leak => leak(c.Result!)).ToArray(), [])).ToList();
        var byScope = points.ToLookup(p => (p.Cell.Dataset, p.Cell.Model, p.Cell.Seed));
        return points.Select(p =>
        {
            var rivals = byScope[(p.Cell.Dataset, p.Cell.Model, p.Cell.Seed)].Where(q => q.Cell != p.Cell).ToList();
            var optimal = leaks.Select((_, a) => !double.IsNaN(p.Leakage[a]) && !rivals.Any(q =>
                q.Hr10 >= p.Hr10 && q.Leakage[a] <= p.Leakage[a] && (q.Hr10 > p.Hr10 || q.Leakage[a] < p.Leakage[a]))).ToArray();
            return p with { ParetoOptimal = optimal };
        }).ToList();
    }

    /// <summary>What each leakage of <see cref="UtilityAndPrivacy"/> is, for a plot's axis: "MLP attacker", or "strongest attack".</summary>
    public IReadOnlyList<string> LeakageLabels(LeakageAxis axis = LeakageAxis.Attackers) =>
        axis == LeakageAxis.Strongest ? ["strongest attack (over attackers, views, threats)"] : Attackers.Select(a => $"{a.Label} attacker").ToList();

    private void AppendUtilityAndPrivacy(StringBuilder sb)
    {
        string scope = AcrossSeeds ? "model and dataset; means ± 95 % half-widths over the seeds" : "model, dataset and seed";
        sb.AppendLine($"## Utility and privacy: HR@10 against leakage |AUC - 0.5| (* Pareto-optimal within its {scope})");
        sb.AppendLine();
        sb.AppendLine($"| model | dataset | method | settings | HR@10 | {string.Join(" | ", Attackers.Select(a => $"{a.Label} leakage"))} |");
        sb.AppendLine($"|---|---|---|---|---|{string.Concat(Attackers.Select(_ => "---|"))}");
        static string Mean(double v, double? h) => h is { } half ? $"{F(v, "F4")} ± {F(half, "F4")}" : F(v, "F4");
        foreach (var p in UtilityAndPrivacy().OrderBy(p => p.Cell.Model).ThenBy(p => p.Cell.Dataset).ThenBy(p => p.Cell.Seed)
                     .ThenBy(p => Catalog.Registry.Methods.Order(p.Cell.Method)).ThenBy(p => p.Cell.Profile, ProfileOrder.Instance))
        {
            var leakage = p.Leakage.Select((l, a) => double.IsNaN(l) ? "n/a" : $"{Mean(l, p.LeakageHalfWidth?[a])}{(p.ParetoOptimal[a] ? " *" : "")}");
            string dataset = TableLabels.Dataset(p.Cell.Dataset) + (AcrossSeeds ? $" ({p.Seeds} seeds)" : SeedSuffix(p.Cell));
            sb.AppendLine($"| {TableLabels.Model(p.Cell.Model)} | {dataset} | {TableLabels.Method(p.Cell.Method)} | {MarkdownCell(Settings(p.Cell.Profile))} | {Mean(p.Hr10, p.Hr10HalfWidth)} | {string.Join(" | ", leakage)} |");
        }
        sb.AppendLine();
    }

    private static void AppendMarkdown(StringBuilder sb, string title, string[] headers, IReadOnlyList<Row> rows, string format)
    {
        sb.AppendLine($"## {title}");
        sb.AppendLine();
        sb.AppendLine($"| model | dataset | method | {string.Join(" | ", headers)} |");
        sb.AppendLine($"|---|---|---|{string.Concat(headers.Select(_ => "---|"))}");
        foreach (var row in rows)
        {
            var values = row.Status is { } status
                ? headers.Select((_, i) => i == 0 ? MarkdownCell(status) : "").ToArray()
                : row.Values.Select(v => Cell(v, format)).ToArray();
            sb.AppendLine($"| {row.Model} | {MarkdownCell(row.Dataset)} | {row.Method} | {string.Join(" | ", values)} |");
        }
        sb.AppendLine();
    }

    private static string Cell(Value v, string format)
    {
        if (v.Ours is not { } ours) return "n/a";
        string mean = v.HalfWidth is { } h ? $"{F(ours, format)} ± {F(h, format)}" : F(ours, format);
        string label = v.Label is { } l ? $" ({MarkdownCell(l)})" : "";
        return v.Paper is { } p ? $"{mean} / {F(p, format)} ({(ours - p >= 0 ? "+" : "")}{F(ours - p, format)}){(v.PaperOutside ? " †" : "")}{label}" : mean + label;
    }

    /// <summary>Long format: table, model, dataset, method, metric, ours (the mean over seeds), paper,
    /// difference, status, then n (seeds), sd, half_width (95 %) and paper_outside (of the interval),
    /// and a note (Table 3: where the attacker was degenerate; who reached the strongest leakage).</summary>
    public string Csv()
    {
        // A simulated report's first line says so, as a comment (read_csv(comment='#') skips it).
        var sb = new StringBuilder(Simulated ? $"# {SimulatedBanner}\n" : "");
        sb.Append("table,model,dataset,method,metric,ours,paper,difference,status,n,sd,half_width,paper_outside,note\n");
        void Add(string table, string[] metrics, IReadOnlyList<Row> rows, Func<Row, int, string?>? note = null)
        {
            foreach (var row in rows)
                for (int i = 0; i < metrics.Length; i++)
                {
                    var v = row.Values[i];
                    sb.AppendLine(string.Join(',', table, row.Model, Quote(row.Dataset), row.Method, metrics[i],
                        N(v.Ours), N(v.Paper), N(v.Difference), Quote(row.Status ?? "done"),
                        v.N.ToString(CultureInfo.InvariantCulture), N(v.Sd), N(v.HalfWidth), v.HalfWidth is null ? "" : v.PaperOutside ? "true" : "false",
                        Quote(note?.Invoke(row, i) ?? v.Label ?? "")));
                }
        }
        Add("1", Table1Metrics, Table1());
        Add("2", ["seconds"], Table2());
        Add("3", Table3CsvMetrics, Table3(),
            (row, i) => i / Table3Metrics.Length < Attackers.Count ? row.Degenerate(Attackers[i / Table3Metrics.Length].Label) : null);
        Add("1g", ByGroupMetrics, ByGroupTable());
        return sb.ToString();
    }

    public string Latex()
    {
        var sb = new StringBuilder();
        string versus = AnyPublished() ? "Ours, with the published value in parentheses." : "Ours (the paper published no values for these cells).";
        void Add(string caption, string[] headers, IReadOnlyList<Row> rows, string format, IReadOnlyList<string>? notes = null)
        {
            if (Simulated) sb.AppendLine($"% {SimulatedBanner}");
            sb.AppendLine("\\begin{table}[t]\\centering\\small");
            sb.AppendLine($"\\caption{{{caption} {versus}}}");
            sb.AppendLine($"\\begin{{tabular}}{{lll{new string('r', headers.Length)}}}\\toprule");
            sb.AppendLine($"Model & Dataset & Method & {string.Join(" & ", headers.Select(Escape))} \\\\\\midrule");
            foreach (var row in rows)
            {
                var values = row.Status is { } status
                    ? new[] { $"\\multicolumn{{{headers.Length}}}{{c}}{{{Escape(status)}}}" }
                    : row.Values.Select(v => v.Ours is not { } o ? "--"
                        : (v.HalfWidth is { } h ? $"{F(o, format)} $\\pm$ {F(h, format)}" : F(o, format)) + (v.Paper is { } p ? $" ({F(p, format)})" : "")
                          + (v.Label is { } l ? $" ({Escape(l)})" : "")).ToArray();
                sb.AppendLine($"{Escape(row.Model)} & {Escape(row.Dataset)} & {Escape(row.Method)} & {string.Join(" & ", values)} \\\\");
            }
            sb.AppendLine("\\bottomrule\\end{tabular}");
            foreach (var note in notes ?? []) sb.AppendLine($"\\par\\footnotesize {Escape(note)}");
            sb.AppendLine("\\end{table}");
            sb.AppendLine();
        }
        Add("Recommendation performance (Table 1).", Table1Headers, Table1(), "F4");
        Add("Running time in seconds (Table 2).", Table2Headers, Table2(), "F1");
        var degenerate = DegenerateAttackers().ToList();
        Add($"Attribute inference attack (Table 3; balanced classes, {AttackProtocol()}).", Table3Headers, Table3(), "F4",
            [.. Ladder ? [StrongestNote] : Array.Empty<string>(), .. degenerate.Count == 0 ? Array.Empty<string>() : [$"Degenerate attackers ({DegenerateAttacker.Meaning}):", .. degenerate]]);
        if (ByGroupTable().Count > 0)
            Add("Recommendation by attribute group, the gap between groups, and the change against the Original of the same seed.", ByGroupHeaders, ByGroupTable(), "F4");
        return sb.ToString();
    }

    /// <summary>LaTeX text: the ten characters LaTeX treats specially are escaped; line breaks become spaces.</summary>
    internal static string Escape(string s)
    {
        var sb = new StringBuilder(s.Length + 8);
        foreach (char c in s)
            sb.Append(c switch
            {
                '\\' => "\\textbackslash{}",
                '~' => "\\textasciitilde{}",
                '^' => "\\textasciicircum{}",
                '#' or '$' or '%' or '&' or '_' or '{' or '}' => $"\\{c}",
                '\r' or '\n' => " ",
                _ => c.ToString(),
            });
        return sb.ToString();
    }

    /// <summary>A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.</summary>
    internal static string Quote(string s) => s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{s.Replace("\"", "\"\"")}\"" : s;

    /// <summary>A Markdown table cell: pipes escaped, line breaks as spaces.</summary>
    public static string MarkdownCell(string s) => s.Replace("|", "\\|").ReplaceLineEndings(" ");
    private static string N(double? v) => v?.ToString("R", CultureInfo.InvariantCulture) ?? "";
    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
