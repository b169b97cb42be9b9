namespace Unlearning.Grains;

/// <summary>
/// A silo's device slots, handed to waiting cells by priority: a freed slot goes to the waiting cell
/// with the most expected work ahead of it (<see cref="CellCostModel"/>: its own time plus its
/// dependents'), first come first served among equals. Longest-first keeps one long cell from starting
/// last and running alone at the end of a grid while the other slots idle.
/// </summary>
public sealed class SlotQueue(int slots)
{
    private sealed class Waiter(double priority, long arrival)
    {
        public double Priority { get; } = priority;
        public long Arrival { get; } = arrival;
        public int Slot { get; set; } = -1;
        public ManualResetEventSlim Granted { get; } = new();
    }

    private readonly object _gate = new();
    private readonly Stack<int> _free = new(Enumerable.Range(0, slots).Reverse());
    private readonly List<Waiter> _waiting = [];
    private long _arrivals;

    public int Slots { get; } = slots;

    public int Busy { get { lock (_gate) return Slots - _free.Count; } }

    public int Waiting { get { lock (_gate) return _waiting.Count; } }

    /// <summary>Blocks until a slot is this caller's; returns its number (0-based).</summary>
    public int Acquire(double priority, CancellationToken ct)
    {
        Waiter waiter;
        lock (_gate)
        {
            ct.ThrowIfCancellationRequested();
            if (_free.Count > 0 && _waiting.Count == 0) return _free.Pop();
            waiter = new Waiter(priority, _arrivals++);
            _waiting.Add(waiter);
        }
        using (waiter.Granted)
        {
            try
            {
                waiter.Granted.Wait(ct);
                return waiter.Slot;
            }
            catch (OperationCanceledException)
            {
                bool granted;
                lock (_gate) granted = !_waiting.Remove(waiter);
                if (granted) Release(waiter.Slot); // handed a slot as it was cancelled: pass it on
                throw;
            }
        }
    }

    public void Release(int slot)
    {
        lock (_gate)
        {
            if (_waiting.Count == 0)
            {
                _free.Push(slot);
                return;
            }
            var next = _waiting[0];
            foreach (var w in _waiting)
                if (w.Priority > next.Priority || (w.Priority == next.Priority && w.Arrival < next.Arrival)) next = w;
            _waiting.Remove(next);
            next.Slot = slot;
            next.Granted.Set();
        }
    }
}
