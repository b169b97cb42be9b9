using Unlearning.Experiments;
using Unlearning.Catalog;
namespace Unlearning.Grains.Tests;

/// <summary>Cost-aware scheduling: the cost model's order, slots handed out by priority, and the
/// schedule the grid is expected to follow.</summary>
public sealed class SchedulingTests
{
    private static CellSpec Cell(string model, string method, string dataset = "ml-100k", string profile = "paper") => new(dataset, model, method, profile, 2023);

    [Fact]
    public void TheCostModelOrdersCellsByTheirWork()
    {
        double Seconds(CellSpec c) => CellCostModel.ExpectedSeconds(c);
        Assert.True(Seconds(Cell("lightgcn", "original")) > Seconds(Cell("ncf", "original")));
        Assert.True(Seconds(Cell("ncf", "original")) > Seconds(Cell("ncf", "d2d")));
        Assert.True(Seconds(Cell("ncf", "retrain", "lfm-2b")) > Seconds(Cell("ncf", "retrain", "ml-1m")));
        Assert.True(Seconds(Cell("ncf", "retrain", "ml-1m")) > Seconds(Cell("ncf", "retrain")));
        Assert.True(Seconds(Cell("ncf", "d2d", "lfm-2b")) > Seconds(Cell("ncf", "u2u", "lfm-2b")));
        Assert.Equal(Seconds(Cell("ncf", "original")) * 5 / 25, Seconds(Cell("ncf", "original", profile: "fast")), 9);
        Assert.True(CellCostModel.ExpectedSeconds(Cell("lightgcn", "original"), gpu: true) < Seconds(Cell("lightgcn", "original")));
        // An unknown dataset is taken to be ML-100K-sized.
        Assert.Equal(Seconds(Cell("ncf", "adv")), Seconds(Cell("ncf", "adv", "my-data")));
        // An unknown profile (the cell itself will fail naming it) does not stop the grid's planning.
        Assert.Equal(Seconds(Cell("ncf", "adv")), Seconds(Cell("ncf", "adv", profile: "no-such-profile")));
    }

    /// <summary>Where the scale benchmark measured a dataset's steps, the CPU's expected times are those
    /// steps at the measured rates, not ML-100K's times scaled by the data's size.</summary>
    [Fact]
    public void MeasuredRatesGiveTheCpusTimesAtLargerShapes()
    {
        double Seconds(CellSpec c) => CellCostModel.ExpectedSeconds(c);
        StepRate Rate(string shape, string model, string method) => Registry.Dataset(shape).MeasuredRates[(model, method)];
        long steps = Unlearning.Training.PointwiseTrainer.StepsPerEpoch(994_169, new Unlearning.Training.TrainingOptions());
        Assert.Equal(19_418, steps);
        Assert.Equal(Rate("ml-1m", "lightgcn", "original").SecondsPerStep * steps * 25, Seconds(Cell("lightgcn", "original", "ml-1m")), 6);
        Assert.Equal(Rate("ml-1m", "ncf", "d2d").SetupSeconds + Rate("ml-1m", "ncf", "d2d").SecondsPerStep * 500, Seconds(Cell("ncf", "d2d", "ml-1m")), 6);
        Assert.Equal(Seconds(Cell("lightgcn", "retrain", "ml-1m")), Seconds(Cell("lightgcn", "retrain", "ml-1m-synthetic")));
        Assert.Equal(Seconds(Cell("ncf", "adv", "lfm-2b")), Seconds(Cell("ncf", "adv", "lfm-2b-synthetic")));
        // Measured, LightGCN's full-graph steps make its original several times NCF's at ML-1M's
        // size; ML-100K's times scaled by the data would say 2.6 times.
        Assert.True(Seconds(Cell("lightgcn", "original", "ml-1m")) > 5 * Seconds(Cell("ncf", "original", "ml-1m")));
        Assert.Equal(Seconds(Cell("ncf", "original", "ml-1m")) * 5 / 25 * 256 / 1024, Seconds(Cell("ncf", "original", "ml-1m", "fast")), 0);
        // Every measured cell of both shapes has a rate.
        foreach (var shape in new[] { "ml-1m", "lfm-2b" })
            foreach (var model in new[] { "ncf", "lightgcn" })
                foreach (var method in new[] { "original", "retrain", "adv", "u2u", "d2d" })
                    Assert.True(Registry.Dataset(shape).MeasuredRates.ContainsKey((model, method)), $"no measured rate for {shape} {model} {method}");
    }

    [Fact]
    public void AnOriginalCarriesTheWorkThatWaitsForIt()
    {
        var cells = GridPlan.WithInputs([Cell("ncf", "d2d"), Cell("ncf", "u2u"), Cell("ncf", "retrain")]);
        var priorities = CellCostModel.Priorities(cells);
        Assert.Equal(CellCostModel.ExpectedSeconds(Cell("ncf", "original")) + CellCostModel.ExpectedSeconds(Cell("ncf", "d2d")), priorities[Cell("ncf", "original")], 9);
        Assert.Equal(CellCostModel.ExpectedSeconds(Cell("ncf", "retrain")), priorities[Cell("ncf", "retrain")], 9);
        Assert.Equal(CellCostModel.ExpectedSeconds(Cell("ncf", "u2u")), priorities[Cell("ncf", "u2u")], 9);
    }

    [Fact]
    public void AFreedSlotGoesToTheWaitingCellOfHighestPriorityThenFirstCome()
    {
        var queue = new SlotQueue(1);
        Assert.Equal(0, queue.Acquire(0, CancellationToken.None));
        var order = new List<string>();
        var threads = new List<Thread>();
        foreach (var (name, priority) in new[] { ("low", 1.0), ("high", 3.0), ("mid-first", 2.0), ("mid-second", 2.0) })
        {
            var thread = new Thread(() =>
            {
                int slot = queue.Acquire(priority, CancellationToken.None);
                lock (order) order.Add(name);
                queue.Release(slot);
            });
            thread.Start();
            threads.Add(thread);
            SpinWait.SpinUntil(() => queue.Waiting == threads.Count, TimeSpan.FromSeconds(10));
        }
        queue.Release(0);
        foreach (var t in threads) Assert.True(t.Join(TimeSpan.FromSeconds(10)));
        Assert.Equal(["high", "mid-first", "mid-second", "low"], order);
        Assert.Equal(0, queue.Busy);
    }

    [Fact]
    public void ACancelledWaiterTakesNoSlot()
    {
        var queue = new SlotQueue(1);
        int held = queue.Acquire(0, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiter = Task.Run(() => queue.Acquire(5, cancel.Token));
        SpinWait.SpinUntil(() => queue.Waiting == 1, TimeSpan.FromSeconds(10));
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => waiter.GetAwaiter().GetResult());
        queue.Release(held);
        Assert.Equal(0, queue.Busy);
        Assert.Equal(0, queue.Acquire(1, CancellationToken.None));
    }

    /// <summary>The ML-100K paper grid on two slots (the development machine): started in request order
    /// it idled a slot for 111 s at the end (docs/benchmarks.md); longest work first ends within 5 % of
    /// the bound no schedule can beat.</summary>
    [Fact]
    public void LongestWorkFirstEndsTheMl100kGridNearItsBound()
    {
        var cells = GridPlan.Cells(["ml-100k"], "all", "all", "paper", 1, dataDir: null);
        var schedule = GridSchedule.Simulate(cells, slots: 2);
        Assert.Equal(10, schedule.Entries.Count);
        double bound = Math.Max(schedule.CellSeconds / 2, schedule.CriticalPathSeconds);
        Assert.True(schedule.WallSeconds <= 1.05 * bound, $"wall {schedule.WallSeconds:F0} s against a bound of {bound:F0} s");
        // Every u2u / d2d starts after its original, and no slot runs two cells at once.
        foreach (var e in schedule.Entries.Where(e => e.Cell.NeedsOriginal))
            Assert.True(e.Start >= schedule.Entries.Single(o => o.Cell == e.Cell.OriginalCell).End);
        foreach (var slot in schedule.Entries.GroupBy(e => e.Slot))
            Assert.All(slot.OrderBy(e => e.Start).Zip(slot.OrderBy(e => e.Start).Skip(1)), p => Assert.True(p.Second.Start >= p.First.End));
        // LightGCN training cells, the longest, take both slots first.
        Assert.All(schedule.Entries.OrderBy(e => e.Start).Take(2), e => Assert.Equal("lightgcn", e.Cell.Model));
    }

    /// <summary>With more slots than ready cells, an unlearning cell waits for its original to end
    /// rather than take a free slot at once; no schedule beats the original plus its longest dependant.</summary>
    [Fact]
    public void AnUnlearningCellWaitsForItsOriginalWhileSlotsAreFree()
    {
        var cells = GridPlan.Cells(["ml-100k"], "ncf", "original,u2u,d2d", "paper", 1, dataDir: null);
        var schedule = GridSchedule.Simulate(cells, slots: 3);
        var original = schedule.Entries.Single(e => e.Cell.Method == "original");
        Assert.Equal(0, original.Start);
        Assert.All(schedule.Entries.Where(e => e.Cell.NeedsOriginal), e => Assert.Equal(original.End, e.Start));
        double longest = cells.Where(c => c.NeedsOriginal).Max(c => CellCostModel.ExpectedSeconds(c));
        Assert.Equal(original.Seconds + longest, schedule.CriticalPathSeconds, precision: 6);
        Assert.Equal(original.End + longest, schedule.WallSeconds, precision: 6);
    }
}
