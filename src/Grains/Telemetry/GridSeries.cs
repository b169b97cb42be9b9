namespace Unlearning.Grains;

/// <summary>
/// What one published <see cref="GridStatus"/> contributes to a scrape, computed once per status on
/// the first scrape that reads it (a grid grain publishes up to once a second, Prometheus scrapes
/// every 15 s): the cells by state, the running cells by silo, the attack AUC per dataset, model,
/// method and attacker (mean over the finished cells, and their number), and the cells that may get
/// series of their own: running cells, then queued ones, by cell key, at most the silo's cap.
/// Everything but those cells is bounded by the catalog (datasets x models x methods x attackers),
/// not by the number of cells.
/// </summary>
internal sealed class GridSeries
{
    private readonly Lazy<Summary> _summary;

    public GridSeries(GridStatus status, int cellSeries)
    {
        RunId = status.RunId;
        _summary = new(() => Summarise(status, cellSeries), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string RunId { get; }

    /// <summary>Cells in each state, indexed by <see cref="CellState"/>.</summary>
    public IReadOnlyList<int> Counts => _summary.Value.Counts;

    public IReadOnlyList<(string Silo, int Cells)> RunningBySilo => _summary.Value.RunningBySilo;

    public IReadOnlyList<AttackMean> Attacks => _summary.Value.Attacks;

    /// <summary>Running then queued cells in <see cref="Order"/>, at most the cap.</summary>
    public IReadOnlyList<CellStatus> Candidates => _summary.Value.Candidates;

    /// <summary>The mean AUC of one attacker over the finished cells of a dataset, model and method.</summary>
    public sealed record AttackMean(string Dataset, string Model, string Method, string Attacker, double Auc, int Cells);

    private sealed record Summary(int[] Counts, List<(string, int)> RunningBySilo, List<AttackMean> Attacks, List<CellStatus> Candidates);

    /// <summary>The order in which cells get series of their own: running before queued, then by run
    /// and by cell key (dataset, model, method, profile, seed), so a scrape shows the same cells as
    /// the last one unless a cell started or finished.</summary>
    public static int Order(string runA, CellStatus a, string runB, CellStatus b)
    {
        int c = Rank(a.State).CompareTo(Rank(b.State));
        if (c == 0) c = string.CompareOrdinal(runA, runB);
        if (c == 0) c = string.CompareOrdinal(a.Cell.Dataset, b.Cell.Dataset);
        if (c == 0) c = string.CompareOrdinal(a.Cell.Model, b.Cell.Model);
        if (c == 0) c = string.CompareOrdinal(a.Cell.Method, b.Cell.Method);
        if (c == 0) c = string.CompareOrdinal(a.Cell.Profile, b.Cell.Profile);
        if (c == 0) c = a.Cell.Seed.CompareTo(b.Cell.Seed);
        return c;
    }

    /// <summary>Whether a cell in this state may get series of its own.</summary>
    public static bool IsCandidate(CellState state) => state is CellState.Running or CellState.Queued;

    private static int Rank(CellState state) => state == CellState.Running ? 0 : 1;

    private static Summary Summarise(GridStatus status, int cellSeries)
    {
        var counts = new int[Enum.GetValues<CellState>().Length];
        var running = new Dictionary<string, int>(StringComparer.Ordinal);
        var attacks = new Dictionary<(string, string, string, string), (double Sum, int Cells)>();
        var candidates = new List<CellStatus>();
        foreach (var c in status.Cells)
        {
            counts[(int)c.State]++;
            if (c.State == CellState.Running) running[c.Silo ?? ""] = running.GetValueOrDefault(c.Silo ?? "") + 1;
            if (IsCandidate(c.State)) candidates.Add(c);
            if (c is { State: CellState.Done, Result: { } result })
                foreach (var (attacker, summary) in result.Attacks)
                {
                    if (!double.IsFinite(summary.Auc)) continue;
                    var key = (c.Cell.Dataset, c.Cell.Model, c.Cell.Method, attacker);
                    var (sum, n) = attacks.GetValueOrDefault(key);
                    attacks[key] = (sum + summary.Auc, n + 1);
                }
        }
        candidates.Sort((a, b) => Order(status.RunId, a, status.RunId, b));
        if (candidates.Count > cellSeries) candidates.RemoveRange(cellSeries, candidates.Count - cellSeries);
        return new Summary(counts,
            running.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Value)).ToList(),
            attacks.Select(a => new AttackMean(a.Key.Item1, a.Key.Item2, a.Key.Item3, a.Key.Item4, a.Value.Sum / a.Value.Cells, a.Value.Cells)).ToList(),
            candidates);
    }
}
