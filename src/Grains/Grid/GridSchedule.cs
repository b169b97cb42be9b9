using Unlearning.Experiments;
namespace Unlearning.Grains;

/// <summary>
/// The schedule a grid is expected to follow on a number of device slots, by the rules the grid and
/// the silos apply: a cell is ready when its input is done (u2u / d2d after their original), and a
/// free slot takes the ready cell of highest <see cref="CellCostModel.Priorities"/>. Used by
/// <c>grid --plan</c>; cells take their <see cref="CellCostModel"/> time.
/// </summary>
public sealed record GridSchedule(IReadOnlyList<GridSchedule.Entry> Entries, int Slots)
{
    public sealed record Entry(CellSpec Cell, int Slot, double Start, double Seconds)
    {
        public double End => Start + Seconds;
    }

    public double WallSeconds => Entries.Count == 0 ? 0 : Entries.Max(e => e.End);
    public double CellSeconds => Entries.Sum(e => e.Seconds);

    /// <summary>The longest original → u2u / d2d chain: no schedule can end before it.</summary>
    public double CriticalPathSeconds
    {
        get
        {
            var seconds = Entries.GroupBy(e => e.Cell).ToDictionary(g => g.Key, g => g.Max(e => e.Seconds));
            return Entries.Max(e => e.Seconds + (e.Cell.NeedsOriginal ? seconds.GetValueOrDefault(e.Cell.OriginalCell) : 0));
        }
    }

    public static GridSchedule Simulate(IReadOnlyList<CellSpec> requested, int slots, bool gpu = false)
    {
        if (slots < 1) throw new ArgumentException($"a grid needs at least one device slot, got {slots}");
        var cells = GridPlan.WithInputs(requested);
        var priorities = CellCostModel.Priorities(cells, gpu);
        var free = Enumerable.Range(0, slots).Select(s => (Slot: s, At: 0.0)).ToList();
        var ends = new Dictionary<CellSpec, double>();
        var entries = new List<Entry>();
        var pending = cells.OrderByDescending(c => priorities[c]).ToList();
        // Each cell's input, found once: the loop below asks for it of every pending cell at every step.
        var inputOf = cells.ToDictionary(c => c, c => c.NeedsOriginal ? c.OriginalCell : null);
        while (pending.Count > 0)
        {
            // The earliest free slot takes the highest-priority cell ready by then; if none is, it
            // waits for the first input to end.
            var slot = free.MinBy(f => f.At);
            double ReadyAt(CellSpec c) => inputOf[c] is not { } input ? 0 : ends.TryGetValue(input, out var end) ? end : double.PositiveInfinity;
            double start = slot.At;
            int next = pending.FindIndex(c => ReadyAt(c) <= start);
            if (next < 0)
            {
                start = pending.Min(ReadyAt);
                next = pending.FindIndex(c => ReadyAt(c) <= start);
            }
            var cell = pending[next];
            double seconds = CellCostModel.ExpectedSeconds(cell, gpu);
            entries.Add(new Entry(cell, slot.Slot, start, seconds));
            ends[cell] = start + seconds;
            pending.RemoveAt(next);
            free[free.IndexOf(slot)] = (slot.Slot, start + seconds);
        }
        return new GridSchedule(entries, slots);
    }
}
