using Unlearning.Tests.Shared;
using Unlearning.Experiments;
namespace Unlearning.Grains.Tests;

public sealed class GridPlanTests
{
    private static CellSpec Cell(string method) => new("ml-100k", "ncf", method, "paper", 2023);

    [Fact]
    public void UnlearningCellsBringTheirOriginalOnce()
    {
        var cells = GridPlan.WithInputs([Cell("u2u"), Cell("d2d"), Cell("retrain")]);
        Assert.Equal([Cell("original"), Cell("u2u"), Cell("d2d"), Cell("retrain")], cells);
    }

    [Fact]
    public void DependentsWaitForTheOriginalAndFailWithIt()
    {
        CellStatus? original = new(Cell("original"), CellState.Running);
        Func<CellSpec, CellStatus?> lookup = _ => original;
        Assert.True(GridPlan.Decide(Cell("retrain"), lookup).Ready);
        Assert.False(GridPlan.Decide(Cell("u2u"), lookup).Ready);
        Assert.Null(GridPlan.Decide(Cell("u2u"), lookup).FailedInput);
        original = original with { State = CellState.Done };
        Assert.True(GridPlan.Decide(Cell("u2u"), lookup).Ready);
        original = original with { State = CellState.Failed, Error = "data missing" };
        Assert.Contains("data missing", GridPlan.Decide(Cell("d2d"), lookup).FailedInput);
    }

    [Fact]
    public void AllIsThePapersDatasetsWithTheSyntheticLfmWhenItsFilesAreAbsent()
    {
        using var temp = new TempFolder("plan-");
        var dir = temp.Path;
        var cells = GridPlan.Cells(["all"], "all", "all", "paper", 1, dir);
        Assert.Equal(3 * 2 * 5, cells.Count);
        Assert.Equal(["ml-100k", "ml-1m", "lfm-2b-synthetic"], cells.Select(c => c.Dataset).Distinct());
        Assert.All(cells, c => Assert.Equal(2023, c.Seed));

        Directory.CreateDirectory(Path.Combine(dir, "lfm-2b"));
        File.WriteAllText(Path.Combine(dir, "lfm-2b", Unlearning.Data.Lfm2bReader.InteractionsFileName), "");
        Assert.Contains(GridPlan.Cells(["lfm-2b"], "ncf", "d2d", "paper", 1, dir), c => c.Dataset == "lfm-2b");
    }

    [Fact]
    public void SeedsNamesAndDuplicatesAreCanonical()
    {
        var cells = GridPlan.Cells(["ML-100K", "ml-100k"], "NMF, ncf", "D2D-R,d2d,Adv-InT", "fast", 2, "/nonexistent");
        Assert.Equal([new("ml-100k", "ncf", "d2d", "fast", 2023), new("ml-100k", "ncf", "adv", "fast", 2023),
            new("ml-100k", "ncf", "d2d", "fast", 2024), new("ml-100k", "ncf", "adv", "fast", 2024)], cells);
        Assert.Contains("'svd'", Assert.Throws<ArgumentException>(() => GridPlan.Cells(["ml-100k"], "svd", "all", "paper", 1, "/x")).Message);
        Assert.Contains("--seeds", Assert.Throws<ArgumentException>(() => GridPlan.Cells(["ml-100k"], "all", "all", "paper", 0, "/x")).Message);
    }

    /// <summary>A sweep runs one cell per value (the paper's own value named "paper"), several sweeps
    /// every combination, and cells that differ only in unlearning settings share one original.</summary>
    [Fact]
    public void SweepsGiveOneCellPerValueAndShareOriginals()
    {
        var cells = GridPlan.Cells(["ml-100k"], "ncf", "u2u,d2d", "paper", 1, "/x", ["unlearning.trade_off=1e-6,1e-4,1e-2,1"]);
        Assert.Equal(8, cells.Count);
        Assert.Equal(["paper", "paper;unlearning.trade_off=0.0001", "paper;unlearning.trade_off=0.01", "paper;unlearning.trade_off=1"],
            cells.Where(c => c.Method == "d2d").Select(c => c.Profile));
        var withInputs = GridPlan.WithInputs(cells);
        Assert.Equal([new CellSpec("ml-100k", "ncf", "original", "paper", 2023)], withInputs.Where(c => c.Method == "original"));

        // Methods that train ignore the unlearning settings: one cell each, not one per value.
        var withReferences = GridPlan.Cells(["ml-100k"], "ncf", "original,retrain,d2d", "paper", 1, "/x", ["unlearning.trade_off=1e-6,1e-4"]);
        Assert.Equal(["original/paper", "retrain/paper", "d2d/paper", "d2d/paper;unlearning.trade_off=0.0001"],
            withReferences.Select(c => $"{c.Method}/{c.Profile}"));
        Assert.Equal("paper", new CellSpec("ml-100k", "ncf", "retrain", "paper;unlearning.trade_off=1").Validate().Profile);

        var product = GridPlan.Cells(["ml-100k"], "ncf", "d2d", "paper", 2, "/x", ["training.epochs=3,5", "unlearning.steps=100,200"]);
        Assert.Equal(8, product.Count);
        Assert.Contains(new CellSpec("ml-100k", "ncf", "d2d", "paper;training.epochs=5;unlearning.steps=100", 2024), product);
        Assert.Equal(["paper;training.epochs=3", "paper;training.epochs=5"],
            GridPlan.WithInputs(product).Where(c => c.Method == "original").Select(c => c.Profile).Distinct().Order());

        Assert.Contains("--sweep 'unlearning.trade_off' needs key=value1,value2", Assert.Throws<ArgumentException>(() => GridPlan.Cells(["ml-100k"], "ncf", "d2d", "paper", 1, "/x", ["unlearning.trade_off"])).Message);
        Assert.Contains("unknown setting 'unlearning.tradeoff'", Assert.Throws<ArgumentException>(() => GridPlan.Cells(["ml-100k"], "ncf", "d2d", "paper", 1, "/x", ["unlearning.tradeoff=1,2"])).Message);
        Assert.Contains("setting unlearning.trade_off needs a number", Assert.Throws<ArgumentException>(() => GridPlan.Cells(["ml-100k"], "ncf", "d2d", "paper", 1, "/x", ["unlearning.trade_off=1,high"])).Message);
    }

    /// <summary>A key swept twice, or swept and set, is refused rather than one silently winning;
    /// seeds are bounded.</summary>
    [Fact]
    public void AmbiguousSweepsAndUnboundedSeedsAreRefused()
    {
        Assert.Equal("--sweep unlearning.trade_off is given twice; list all its values in one --sweep unlearning.trade_off=v1,v2,...",
            Assert.Throws<ArgumentException>(() => GridPlan.Cells(["ml-100k"], "ncf", "d2d", "paper", 1, "/x", ["unlearning.trade_off=1,2", "unlearning.au_trade_off=3"])).Message);
        Assert.StartsWith("unlearning.trade_off is both swept (--sweep) and set",
            Assert.Throws<ArgumentException>(() => GridPlan.Cells(["ml-100k"], "ncf", "d2d", "paper;unlearning.trade_off=0.5", 1, "/x", ["unlearning.trade_off=1,2"])).Message);
        Assert.Equal("--seeds must be from 1 to 100, got 100000", Assert.Throws<ArgumentException>(() => GridPlan.Cells(["ml-100k"], "ncf", "d2d", "paper", 100_000, "/x")).Message);
        Assert.Equal(200, GridPlan.Cells(["ml-100k"], "ncf", "original,retrain", "paper", 100, "/x").Count);
    }

    /// <summary>A run id names one set of cells, inputs included; the same set may run again.</summary>
    [Fact]
    public void ARunWithOtherCellsIsRefused()
    {
        var cells = GridPlan.Cells(["ml-100k"], "ncf", "d2d", "paper", 1, "/x");
        GridPlan.RequireSameCells("r", GridPlan.WithInputs(cells).ToList(), cells, "advice");
        Assert.Equal("run 'r' already exists with other cells (2); advice",
            Assert.Throws<ArgumentException>(() => GridPlan.RequireSameCells("r", GridPlan.WithInputs(cells).ToList(), GridPlan.Cells(["ml-100k"], "lightgcn", "d2d", "paper", 1, "/x"), "advice")).Message);
    }
}

public sealed class DeviceAssignmentTests
{
    [Fact]
    public void SlotsFillOneGpuAfterAnother()
    {
        Assert.Equal(["cuda:0", "cuda:0", "cuda:1", "cuda:1", "cuda:0"], Enumerable.Range(0, 5).Select(s => DeviceAssignment.For(s, gpus: 2, slotsPerGpu: 2, "auto")));
        Assert.Equal(["cuda:0", "cuda:1", "cuda:2"], Enumerable.Range(0, 3).Select(s => DeviceAssignment.For(s, gpus: 3, slotsPerGpu: 1, "cuda")));
    }

    [Fact]
    public void CpuSilosAndExplicitDevicesAreKept()
    {
        Assert.Equal("cpu", DeviceAssignment.For(3, gpus: 0, slotsPerGpu: 1, "auto"));
        Assert.Equal("cpu", DeviceAssignment.For(0, gpus: 4, slotsPerGpu: 1, "cpu"));
        Assert.Equal("cuda:3", DeviceAssignment.For(1, gpus: 4, slotsPerGpu: 1, "cuda:3"));
    }

    [Fact]
    public void BadExecutorSettingsNameTheVariable()
    {
        Assert.Contains("Cells__Slots", Assert.Throws<ArgumentException>(() => new CellExecutorOptions { Slots = 0 }.Validate()).Message);
        Assert.Contains("Cells__SlotsPerGpu", Assert.Throws<ArgumentException>(() => new CellExecutorOptions { SlotsPerGpu = 0 }.Validate()).Message);
        Assert.Contains("'gpu'", Assert.Throws<ArgumentException>(() => new CellExecutorOptions { Device = "gpu" }.Validate()).Message);
        Assert.Contains("Cells__CellGpuPeakGiB", Assert.Throws<ArgumentException>(() => new CellExecutorOptions { CellGpuPeakGiB = 0 }.Validate()).Message);
        new CellExecutorOptions { Device = "cuda:1", Slots = 2 }.Validate();
    }

    [Fact]
    public void CellsShareAGpuAsFarAsItsMemoryAndTheSilosCoresAllow()
    {
        const long GiB = 1L << 30;
        // An H200 (139 GiB seen by NVML) and cells of at most 20 GiB: 6 fit in 90 % of it.
        Assert.Equal(6, GpuSlots.For(139 * GiB, 20 * GiB, coresPerGpu: 16));
        // Exactly 90 % of 40 GiB holds 4 cells of 9 GiB; one more byte each and only 3.
        Assert.Equal(4, GpuSlots.For(40 * GiB, 9 * GiB, coresPerGpu: 16));
        Assert.Equal(3, GpuSlots.For(40 * GiB, 9 * GiB + 1, coresPerGpu: 16));
        // Small cells stop at the cores the silo has for each GPU.
        Assert.Equal(4, GpuSlots.For(139 * GiB, GiB / 2, coresPerGpu: 4));
        // A cell larger than the GPU still gets its one slot (it fails with CUDA's out-of-memory, named).
        Assert.Equal(1, GpuSlots.For(24 * GiB, 30 * GiB, coresPerGpu: 8));
        Assert.Equal(1, GpuSlots.For(24 * GiB, GiB, coresPerGpu: 0));
    }

    [Fact]
    public void AnExplicitSlotsPerGpuWinsAndWithoutAPeakAGpuHasOneSlot()
    {
        var set = SiloHardware.Detect(new CellExecutorOptions { Gpus = 2, SlotsPerGpu = 3, CellGpuPeakGiB = 500 });
        Assert.Equal((2, 6, 3), (set.Gpus, set.Slots, set.SlotsPerGpu));
        // No NVML on this machine, or no peak given: one cell per GPU, as before.
        var unset = SiloHardware.Detect(new CellExecutorOptions { Gpus = 2 });
        Assert.Equal((2, 1), (unset.Slots, unset.SlotsPerGpu));
    }
}

public sealed class PlacementRuleTests
{
    private static int[] Place(int cells, params SiloOffer[] silos)
    {
        var offers = silos.ToArray();
        var random = new Random(1);
        for (int c = 0; c < cells; c++)
        {
            int i = PlacementRule.Choose(offers, random);
            offers[i] = offers[i] with { Placed = offers[i].Placed + 1 };
        }
        return offers.Select(o => o.Placed).ToArray();
    }

    [Fact]
    public void GpuSilosTakeEveryCellWhenThereAreAny()
    {
        Assert.Equal([0, 6, 0], Place(6, new(0, 4, 0), new(1, 1, 0), new(0, 4, 0)));
    }

    [Fact]
    public void CellsSpreadEvenlyPerDeviceSlot()
    {
        Assert.Equal([3, 3], Place(6, new(0, 1, 0), new(0, 1, 0)));
        Assert.Equal([2, 4], Place(6, new(0, 1, 0), new(0, 2, 0)));
        Assert.Equal([4, 2, 2], Place(8, new(2, 2, 0), new(1, 1, 0), new(1, 1, 0)));
    }
}

public sealed class GridTimelineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static CellStatus Ran(string method, string silo, int slot, double queued, double started, double finished, string model = "ncf") =>
        new(new CellSpec("ml-100k", model, method, "paper", 2023), CellState.Done, Silo: silo, Slot: slot,
            QueuedAt: T0.AddSeconds(queued), StartedAt: T0.AddSeconds(started), FinishedAt: T0.AddSeconds(finished));

    [Fact]
    public void FiguresComeFromTheSilosTimestamps()
    {
        var status = new GridStatus("run",
        [
            Ran("original", "a", 0, 0, 0.1, 10),
            Ran("retrain", "b", 0, 0, 0.1, 20),
            Ran("adv", "a", 0, 0, 10.05, 30),      // queued behind the original: handed the slot 0.05 s after it freed
            Ran("u2u", "b", 0, 10.5, 20.02, 22),   // its input finished at 10, queued 0.5 s later, waited for the slot
        ], T0, T0.AddSeconds(31));
        var t = GridTimeline.From(status);
        Assert.Equal(31, t.WallSeconds, 6);
        Assert.Equal(9.9 + 19.9 + 19.95 + 1.98, t.CellSeconds, 6);
        Assert.Equal(2, t.Slots);
        Assert.Equal(t.CellSeconds / 2, t.IdealSeconds, 6);
        Assert.Equal(19.95, t.CriticalPathSeconds, 6); // adv alone; original + u2u is 9.9 + 1.98
        Assert.Equal(2, t.HandoffSeconds.Count);
        Assert.Equal(0.05, t.HandoffSeconds.Max(), 6);
        Assert.Equal(0.02, t.HandoffSeconds.Min(), 6);
        Assert.Equal(0.5, Assert.Single(t.DependencySeconds), 6);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1 }, t.MostAtOncePerSilo);
        Assert.Equal(31 * 2 - t.CellSeconds, t.IdleSlotSeconds, 6);
        Assert.Contains("grid wall 31.0 s", t.Summary());
    }

    [Fact]
    public void OverlappingSpansAreCountedAndTouchingOnesAreNot()
    {
        (DateTimeOffset, DateTimeOffset) Span(double a, double b) => (T0.AddSeconds(a), T0.AddSeconds(b));
        Assert.Equal(1, GridTimeline.MostAtOnce([Span(0, 1), Span(1, 2), Span(2, 3)]));
        Assert.Equal(2, GridTimeline.MostAtOnce([Span(0, 2), Span(1, 3), Span(2.5, 4)]));
        Assert.Equal(3, GridTimeline.MostAtOnce([Span(0, 10), Span(1, 9), Span(2, 8), Span(9.5, 11)]));
        Assert.Equal(0, GridTimeline.MostAtOnce([]));
    }
}
