using System.Diagnostics;
using System.Text.RegularExpressions;
using Unlearning.Experiments;

namespace Unlearning.Grains.Tests.EndToEnd;

/// <summary>
/// Faults with real processes on loopback (redis-server, silo processes, client processes): a silo
/// killed with SIGKILL and another stopped with SIGTERM in the middle of training, a client killed
/// mid-grid, and Redis restarted mid-grid. Nothing finished is lost, nothing is computed twice, and an
/// interrupted cell loses at most its current epoch and ends with the values of an undisturbed run.
/// </summary>
[Trait("Category", "Fault")]
public sealed partial class FaultTests
{
    private static CellSpec Ncf(string method) => new("synthetic-small", "ncf", method, "paper", 2023);
    private static CellStatus Of(GridStatus grid, CellSpec cell) => grid.Cells.Single(c => c.Cell == cell);
    private static void Say(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    [Fact]
    public async Task SilosLostMidEpochCostAtMostAnEpochAndTheResumedCellsEqualUndisturbedRuns()
    {
        Assert.SkipWhen(LoopbackCluster.RedisServer is null, "redis-server is not installed (.ci/run installs it)");
        await using var cluster = new LoopbackCluster();
        await cluster.StartRedis();
        foreach (var name in new[] { "silo1", "silo2", "silo3" }) await cluster.StartSilo(name);
        CellSpec original = Ncf("original"), retrain = Ncf("retrain");
        await (await cluster.Client()).GetGrain<IGridGrain>("silo-loss").Start(new GridRequest("silo-loss", [original, retrain], new GridSettings()));

        // Both cells in training (one slot per silo, so on two silos): SIGKILL one silo, SIGTERM the other.
        var before = await cluster.WaitFor("silo-loss", g => g.Cells.All(c => c is { State: CellState.Running, Phase: "train", Position: >= 3 }),
            TimeSpan.FromMinutes(8), "both cells training in their third epoch");
        var (killed, stopped) = (Of(before, original), Of(before, retrain));
        Assert.NotEqual(killed.Silo, stopped.Silo);
        cluster.Silos[stopped.Silo!].Signal("TERM");
        cluster.Silos[killed.Silo!].Signal("KILL");
        var clock = Stopwatch.StartNew();

        Assert.True(cluster.Silos[stopped.Silo!].WaitForExit(TimeSpan.FromSeconds(60)), "the SIGTERM'd silo did not stop within 60 s");
        Assert.True(cluster.Silos[stopped.Silo!].ExitCode == 0, $"exit code {cluster.Silos[stopped.Silo!].ExitCode}");
        var resumed = await cluster.WaitFor("silo-loss", g => Of(g, original).ResumedFrom is not null, TimeSpan.FromMinutes(5), "the killed cell resuming");
        Say($"SIGKILL of {killed.Silo} in epoch {killed.Position}: resumed {Of(resumed, original).ResumedFrom} on {Of(resumed, original).Silo} after {clock.Elapsed.TotalSeconds:F1} s");

        var final = await cluster.WaitFor("silo-loss", g => g.IsFinished, TimeSpan.FromMinutes(8), "the grid finishing");
        Assert.All(final.Cells, c => Assert.Equal(CellState.Done, c.State));
        var (o, r) = (Of(final, original), Of(final, retrain));
        Say($"SIGTERM of {stopped.Silo} in epoch {stopped.Position}: resumed {r.ResumedFrom} on {r.Silo}");
        Assert.Equal(2, o.Attempt);
        // A graceful stop gives its attempt back (the grain did this after its job saved and stopped).
        Assert.True(r.Attempt == 1, $"retrain attempt {r.Attempt}, resumed {r.ResumedFrom}; stopped silo's log:\n{Tail(cluster.Silos[stopped.Silo!].Errors)}");
        Assert.True(EpochsKept(o.ResumedFrom!) >= killed.Position - 1, $"resumed {o.ResumedFrom}, killed in epoch {killed.Position}");
        Assert.True(EpochsKept(r.ResumedFrom!) >= stopped.Position - 1, $"resumed {r.ResumedFrom}, stopped in epoch {stopped.Position}");
        Assert.Equal(2, cluster.StoredResults());

        // The values of undisturbed runs of the same cells.
        var reference = new CellRunner(new EngineSettings { DataDir = cluster.Dir, OutDir = Path.Combine(cluster.Dir, "undisturbed"), Device = "cpu" });
        foreach (var cell in new[] { o, r })
        {
            var expected = reference.Run(cell.Cell);
            Assert.Equal(expected.Recommendation, cell.Result!.Recommendation);
            Assert.Equal(expected.Attacks.Select(a => (a.Attacker, a.Mean.Accuracy, a.Mean.Auc)),
                cell.Result.Attacks.Select(a => (a.Key, a.Value.Accuracy, a.Value.Auc)));
        }
    }

    [Fact]
    public async Task AKilledClientAndARestartedRedisLoseNothingAndRecomputeNothing()
    {
        Assert.SkipWhen(LoopbackCluster.RedisServer is null, "redis-server is not installed (.ci/run installs it)");
        await using var cluster = new LoopbackCluster(appendOnly: true);
        await cluster.StartRedis();
        foreach (var name in new[] { "silo1", "silo2" }) await cluster.StartSilo(name);
        var clientOut = Path.Combine(cluster.Dir, "client");
        string[] Grid(params string[] rest) => [.. rest, "--out", clientOut];

        var first = cluster.StartClient(Grid("grid", "synthetic-small", "--profile", "paper", "--models", "ncf", "--methods", "original,d2d,retrain", "--run", "crash"));
        var progress = await cluster.WaitFor("crash", g => g.Cells.Any(c => c.State == CellState.Done), TimeSpan.FromMinutes(8), "a first finished cell");
        first.Signal("KILL");
        Assert.True(first.WaitForExit(TimeSpan.FromSeconds(10)), $"first did not exit within 10 seconds\n{first.Printed}");
        var finished = progress.Cells.Where(c => c.State == CellState.Done).ToList();

        var clock = Stopwatch.StartNew();
        await cluster.RestartRedis();
        Say($"client killed with {finished.Count} cell(s) done; Redis restarted in {clock.Elapsed.TotalSeconds:F1} s");

        var second = cluster.StartClient(Grid("grid", "status", "crash"));
        Assert.True(second.WaitForExit(TimeSpan.FromMinutes(8)), $"the second client did not see the grid finish within 8 minutes\n{second.Printed}");
        Assert.True(second.ExitCode == 0, $"exit code {second.ExitCode}\n{second.Errors}\n{second.Output}");
        foreach (var cell in finished)
            Assert.Matches($@"(?m)^{Regex.Escape(cell.Cell.Dataset)}\s+ncf\s+{cell.Cell.Method}\s+Done", second.Errors);

        var run = GridRun.Load(clientOut, "crash");
        Assert.Equal(3, run.Cells.Count);
        Assert.All(run.Cells, c => Assert.Equal(CellState.Done, c.State));
        foreach (var before in finished)
        {
            var after = run.Cells.Single(c => c.Cell == before.Cell);
            Assert.Equal((before.StartedAt, before.FinishedAt, 1), (after.StartedAt, after.FinishedAt, after.Attempt));
        }
        Assert.Equal(3, cluster.StoredResults());
        // The client's report is in the client's folder; the silos' store holds no run files.
        Assert.True(File.Exists(Path.Combine(clientOut, "runs", "crash", "report.md")));
        Assert.False(Directory.Exists(Path.Combine(cluster.Artifacts, "runs")));
        Assert.Contains("| NMF | synthetic-small | D2D-R |", File.ReadAllText(Path.Combine(clientOut, "runs", "crash", "report.md")));
    }

    /// <summary>Preemption as a spot node gives it: SIGTERM, then SIGKILL 10 s later if the silo has
    /// not exited. The silo stops its cell, checkpoints where it stands and exits within the grace;
    /// the cell resumes from that point on the other silo, with its attempt given back.</summary>
    [Fact]
    public async Task APreemptedSiloCheckpointsWithinATenSecondGraceAndGivesTheAttemptBack()
    {
        Assert.SkipWhen(LoopbackCluster.RedisServer is null, "redis-server is not installed (.ci/run installs it)");
        await using var cluster = new LoopbackCluster();
        await cluster.StartRedis();
        foreach (var name in new[] { "silo1", "silo2" }) await cluster.StartSilo(name);
        var cell = Ncf("retrain");
        await (await cluster.Client()).GetGrain<IGridGrain>("spot").Start(new GridRequest("spot", [cell], new GridSettings()));
        var running = await cluster.WaitFor("spot", g => Of(g, cell) is { State: CellState.Running, Phase: "train", Position: >= 3 }, TimeSpan.FromMinutes(5), "the cell training its third epoch");
        var silo = cluster.Silos[Of(running, cell).Silo!];
        var clock = Stopwatch.StartNew();
        silo.Signal("TERM");
        bool exited = silo.WaitForExit(TimeSpan.FromSeconds(10));
        if (!exited) silo.Signal("KILL");
        Say($"SIGTERM in epoch {Of(running, cell).Position}: the silo exited after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(exited, $"the silo did not exit within the 10 s grace\n{Tail(silo.Errors)}");
        Assert.Equal(0, silo.ExitCode);

        var final = await cluster.WaitFor("spot", g => g.IsFinished, TimeSpan.FromMinutes(8), "the cell finishing on the other silo");
        var done = Of(final, cell);
        Assert.Equal(CellState.Done, done.State);
        Assert.Equal(1, done.Attempt);
        // The stop saves where it stands ("in epoch k at batch b"), or finds the epoch's own checkpoint current ("after epoch k").
        Assert.NotNull(done.ResumedFrom);
        Assert.True(EpochsKept(done.ResumedFrom!) >= Of(running, cell).Position - 1, $"resumed {done.ResumedFrom}, stopped in epoch {Of(running, cell).Position}");
    }

    /// <summary>A scale-down with a drain (Cells__DrainTimeout): SIGTERM to a silo whose cell is running.
    /// The silo leaves the cluster at once, its running cell finishes where it is (done there, first
    /// attempt, nothing resumed), a cell queued on it moves to the other silo, and the silo exits once
    /// its cell is done. Simulated cells of 12 s: the drain is the control plane's, not the engine's.</summary>
    [Fact]
    public async Task ADrainingSiloFinishesItsRunningCellTakesNoOtherAndExits()
    {
        Assert.SkipWhen(LoopbackCluster.RedisServer is null, "redis-server is not installed (.ci/run installs it)");
        await using var cluster = new LoopbackCluster();
        await cluster.StartRedis();
        var settings = new Dictionary<string, string>(LoopbackCluster.SimulatedEngine(12, slots: 1)) { ["Cells__DrainTimeout"] = "00:01:00" };
        foreach (var name in new[] { "silo1", "silo2" }) await cluster.StartSilo(name, settings);
        CellSpec[] cells = [Ncf("original"), Ncf("retrain"), Ncf("adv")];
        await (await cluster.Client()).GetGrain<IGridGrain>("drain").Start(new GridRequest("drain", cells, new GridSettings()));
        var busy = await cluster.WaitFor("drain", g => g.Cells.Count(c => c.State == CellState.Running) == 2, TimeSpan.FromMinutes(1), "two cells running");
        // The silo that also holds the queued cell, where there is one.
        var queued = busy.Cells.FirstOrDefault(c => c.State == CellState.Queued);
        var drained = busy.Cells.First(c => c.State == CellState.Running && (queued is null || c.Silo == queued.Silo));
        var silo = cluster.Silos[drained.Silo!];
        var clock = Stopwatch.StartNew();
        silo.Signal("TERM");
        bool exited = silo.WaitForExit(TimeSpan.FromSeconds(45));
        Say($"SIGTERM to {drained.Silo} with {drained.Cell} running{(queued is null ? "" : $" and {queued.Cell} queued")}: exited after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(exited, $"the draining silo did not exit within 45 s\n{Tail(silo.Errors)}");
        Assert.Equal(0, silo.ExitCode);

        var final = await cluster.WaitFor("drain", g => g.IsFinished, TimeSpan.FromMinutes(2), "every cell finishing");
        var done = Of(final, drained.Cell);
        Assert.Equal(CellState.Done, done.State);
        Assert.Equal(drained.Silo, done.Silo);
        Assert.Equal(1, done.Attempt);
        Assert.Null(done.ResumedFrom);
        Assert.True(done.FinishedAt <= DateTimeOffset.Now - clock.Elapsed + TimeSpan.FromSeconds(45));
        foreach (var other in final.Cells.Where(c => c.Cell != drained.Cell))
        {
            Assert.Equal(CellState.Done, other.State);
            Assert.NotEqual(drained.Silo, other.Silo);
        }
        Assert.Equal(3, cluster.StoredResults());
    }

    /// <summary>A cell whose silo is lost more often than its retry budget allows fails saying so,
    /// instead of moving from silo to silo for ever (budget 1 here: the first loss is the last).</summary>
    [Fact]
    public async Task ACellThatKeepsLosingItsSiloFailsOnceItsRetryBudgetIsSpent()
    {
        Assert.SkipWhen(LoopbackCluster.RedisServer is null, "redis-server is not installed (.ci/run installs it)");
        await using var cluster = new LoopbackCluster();
        await cluster.StartRedis();
        var budget = new Dictionary<string, string> { ["Cells__MaxAttempts"] = "1" };
        foreach (var name in new[] { "silo1", "silo2" }) await cluster.StartSilo(name, budget);
        var cell = Ncf("adv");
        await (await cluster.Client()).GetGrain<IGridGrain>("budget").Start(new GridRequest("budget", [cell], new GridSettings()));
        var running = await cluster.WaitFor("budget", g => Of(g, cell) is { State: CellState.Running, Position: >= 2 }, TimeSpan.FromMinutes(5), "the cell training");
        cluster.Silos[Of(running, cell).Silo!].Signal("KILL");

        var final = await cluster.WaitFor("budget", g => g.IsFinished, TimeSpan.FromMinutes(5), "the cell giving up");
        var failed = Of(final, cell);
        Assert.Equal(CellState.Failed, failed.State);
        Assert.Contains("its silo was lost 1 time while running it (retry budget Cells__MaxAttempts = 1)", failed.Error);
        Assert.Equal(0, cluster.StoredResults());
    }

    private static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;

    /// <summary>Epochs a checkpoint kept: "after epoch 3 of 25 (...)" keeps 3; "in epoch 4 of 25 at batch 128" keeps 3 and part of the 4th.</summary>
    private static int EpochsKept(string resumedFrom)
    {
        var m = ResumedPattern().Match(resumedFrom);
        Assert.True(m.Success, $"unexpected resume point '{resumedFrom}'");
        int epoch = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        return m.Groups[1].Value == "after" ? epoch : epoch - 1;
    }

    [GeneratedRegex(@"(after|in) epoch (\d+) of")]
    private static partial Regex ResumedPattern();
}
