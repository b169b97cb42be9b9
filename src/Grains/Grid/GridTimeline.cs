using Unlearning.Experiments;
using System.Globalization;
using System.Text;

namespace Unlearning.Grains;

/// <summary>
/// The grid's own cost, measured from outside the engine: from the timestamps each silo takes when a
/// cell is queued, takes a device slot and finishes (<see cref="CellStatus"/>), and the grid's start
/// and end. Where the engine's wall time only says how long the work took, this says how long the
/// grid kept slots idle around it: polling, messaging, dependency waits and the tail.
/// </summary>
/// <param name="WallSeconds">The grid grain's start to its end.</param>
/// <param name="CellSeconds">Sum over the cells that ran of slot taken to finished.</param>
/// <param name="Slots">Device slots that ran cells (distinct silo and slot).</param>
/// <param name="CriticalPathSeconds">The longest chain of cells that must run one after another (an original and its u2u / d2d).</param>
/// <param name="HandoffSeconds">For each cell that was queued when the slot it ran on was freed: slot freed to the cell started.</param>
/// <param name="DependencySeconds">For each u2u / d2d: its original finished to the grid finding it ready
/// (to it queued on its silo for runs that predate <see cref="CellStatus.ReadyAt"/>).</param>
/// <param name="AdmissionSeconds">For each cell the grid marked ready: ready to queued on its silo (waiting
/// for room in the grid's admission window, which keeps about two cells per device slot handed out).</param>
/// <param name="MostAtOncePerSilo">The most cells whose slot spans overlap, per silo.</param>
public sealed record GridTimeline(double WallSeconds, double CellSeconds, int Slots, double CriticalPathSeconds,
    IReadOnlyList<double> HandoffSeconds, IReadOnlyList<double> DependencySeconds, IReadOnlyList<double> AdmissionSeconds, IReadOnlyDictionary<string, int> MostAtOncePerSilo)
{
    /// <summary>Every slot busy all the time: the cell time spread evenly over the slots.</summary>
    public double IdealSeconds => Slots == 0 ? 0 : CellSeconds / Slots;

    /// <summary>No schedule on these slots can finish sooner.</summary>
    public double LowerBoundSeconds => Math.Max(IdealSeconds, CriticalPathSeconds);

    /// <summary>Slot time not spent in cells.</summary>
    public double IdleSlotSeconds => WallSeconds * Slots - CellSeconds;

    public static GridTimeline From(GridStatus status)
    {
        var ran = status.Cells.Where(c => c is { StartedAt: not null, FinishedAt: not null, Silo: not null }).ToList();
        double Span(CellStatus c) => c.SlotSeconds()!.Value;
        var cellSeconds = ran.Where(c => !c.Reused).Sum(Span);
        var byKey = ran.ToDictionary(c => c.Cell);

        double critical = 0;
        var dependencies = new List<double>();
        foreach (var c in ran)
        {
            double chain = Span(c);
            if (c.Cell.NeedsOriginal && byKey.TryGetValue(c.Cell.OriginalCell, out var input))
            {
                chain += Span(input);
                if ((c.ReadyAt ?? c.QueuedAt) is { } ready) dependencies.Add((ready - input.FinishedAt!.Value).TotalSeconds);
            }
            critical = Math.Max(critical, chain);
        }

        var admissions = ran.Where(c => c is { ReadyAt: not null, QueuedAt: not null }).Select(c => (c.QueuedAt!.Value - c.ReadyAt!.Value).TotalSeconds).ToList();
        var handoffs = new List<double>();
        foreach (var slot in ran.Where(c => c.Slot is not null).GroupBy(c => (c.Silo, c.Slot)))
        {
            var order = slot.OrderBy(c => c.StartedAt).ToList();
            for (int i = 1; i < order.Count; i++)
                if (order[i].QueuedAt is { } queued && queued <= order[i - 1].FinishedAt)
                    handoffs.Add((order[i].StartedAt!.Value - order[i - 1].FinishedAt!.Value).TotalSeconds);
        }

        var mostAtOnce = ran.GroupBy(c => c.Silo!).ToDictionary(g => g.Key, g => MostAtOnce(g.Select(c => (c.StartedAt!.Value, c.FinishedAt!.Value))));
        double wall = status.FinishedAt is { } end ? (end - status.StartedAt).TotalSeconds : 0;
        int slots = ran.Select(c => (c.Silo, c.Slot)).Distinct().Count();
        return new GridTimeline(wall, cellSeconds, slots, critical, handoffs, dependencies, admissions, mostAtOnce);
    }

    /// <summary>The most intervals [start, end) that overlap at one instant (an interval ending when
    /// another starts does not overlap it).</summary>
    public static int MostAtOnce(IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> spans)
    {
        var events = spans.SelectMany(s => new[] { (Time: s.Start, Delta: 1), (Time: s.End, Delta: -1) })
            .OrderBy(e => e.Time).ThenBy(e => e.Delta);
        int now = 0, most = 0;
        foreach (var e in events) most = Math.Max(most, now += e.Delta);
        return most;
    }

    /// <summary>The figures, labelled, in the order the summary line and the Markdown table show them.</summary>
    public IReadOnlyList<(string Label, string Value)> Figures() =>
    [
        ("grid wall", S(WallSeconds)),
        ("cell time (slot taken to finished, cells that ran)", S(CellSeconds)),
        ("device slots used", Slots.ToString(CultureInfo.InvariantCulture)),
        ("ideal wall (cell time / slots)", S(IdealSeconds)),
        ("longest chain (original + its u2u / d2d)", S(CriticalPathSeconds)),
        ("wall / max(ideal, longest chain)", Ratio(WallSeconds, LowerBoundSeconds)),
        ("idle slot time", S(IdleSlotSeconds)),
        ("slot freed to queued cell started", Stats(HandoffSeconds)),
        ("original finished to u2u / d2d ready", Stats(DependencySeconds)),
        ("ready to queued on a silo (admission window)", Stats(AdmissionSeconds)),
        ("most cells at once per silo", string.Join(", ", MostAtOncePerSilo.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))),
    ];

    public string Summary() => string.Join("; ", Figures().Select(f => $"{f.Label} {f.Value}"));

    public string Markdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("## Grid timing (from the silos' timestamps)");
        sb.AppendLine();
        sb.AppendLine("| figure | value |");
        sb.AppendLine("|---|---|");
        foreach (var (label, value) in Figures()) sb.AppendLine($"| {label} | {value} |");
        return sb.ToString();
    }

    private static string S(double seconds) => seconds.ToString("F1", CultureInfo.InvariantCulture) + " s";

    private static string Ratio(double a, double b) => b <= 0 ? "n/a" : (a / b).ToString("F3", CultureInfo.InvariantCulture) + "x";

    private static string Stats(IReadOnlyList<double> seconds) => seconds.Count == 0
        ? "none"
        : string.Create(CultureInfo.InvariantCulture, $"{seconds.Count}, mean {seconds.Average() * 1000:F1} ms, p99 {P99(seconds) * 1000:F1} ms, max {seconds.Max() * 1000:F1} ms");

    /// <summary>The 99th percentile (nearest rank).</summary>
    private static double P99(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Max(0, (int)Math.Ceiling(0.99 * sorted.Count) - 1)];
    }
}
