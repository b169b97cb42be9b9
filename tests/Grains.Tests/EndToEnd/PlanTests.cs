using Unlearning.Tests.Shared;

namespace Unlearning.Grains.Tests.EndToEnd;

/// <summary><c>grid --plan</c> runs nothing and plans on the devices the grid would use.</summary>
[Trait("Category", "EndToEnd")]
public sealed class PlanTests
{
    [Fact]
    public async Task AClusterGridIsPlannedOnItsGpuSilos()
    {
        Assert.SkipWhen(LoopbackCluster.RedisServer is null, "redis-server is not installed (.ci/run installs it)");
        await using var cluster = new LoopbackCluster();
        await cluster.StartRedis();
        await cluster.StartSilo("gpu", new() { ["Cells__Gpus"] = "1", ["Cells__Slots"] = "2", ["Cells__Device"] = "cpu" });
        await cluster.StartSilo("cpu");
        var client = cluster.StartClient(["grid", "ml-100k", "ml-1m", "--plan", "--out", Path.Combine(cluster.Dir, "client")]);
        Assert.True(client.WaitForExit(TimeSpan.FromMinutes(2)), $"the plan did not finish within 2 minutes\n{client.Printed}");
        Assert.True(client.ExitCode == 0, $"exit code {client.ExitCode}\n{client.Errors}");
        Assert.Contains("gpu (1 GPU, 2 slots)", client.Output);
        Assert.Contains("cpu (0 GPU, 1 slots)", client.Output);
        Assert.Contains("20 cells on 2 GPU slots", client.Output);
        Assert.Contains("expected wall time", client.Output);
        Assert.Contains("| ml-1m/lightgcn/", client.Output);
        // Nothing ran: no grid on the cluster, nothing stored.
        Assert.Equal(0, cluster.StoredResults());
        Assert.False(Directory.Exists(Path.Combine(cluster.Dir, "client", "runs")));
    }

    [Fact]
    public void AnEmbeddedGridIsPlannedOnThisMachinesCores()
    {
        using var temp = new TempFolder("plan-");
        var dir = temp.Path;
        using var client = ChildProcess.StartBuilt("src/Client", "unlearn.dll", ["grid", "ml-100k", "--plan", "--data", dir, "--out", dir]);
        Assert.True(client.WaitForExit(TimeSpan.FromMinutes(1)), $"the plan did not finish within 1 minute\n{client.Printed}");
        Assert.True(client.ExitCode == 0, $"exit code {client.ExitCode}\n{client.Errors}");
        // A CPU machine: one slot per core (a GPU machine would plan on its GPUs).
        Assert.Matches(@"embedded \(\d+ GPU, \d+ slots\)", client.Output);
        Assert.Matches(@"10 cells on \d+ (CPU|GPU) slots", client.Output);
        Assert.Contains("expected wall time", client.Output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
    }

    /// <summary>`grid all --plan` on a machine without the data says what is missing and what stands
    /// in for it, and gives durations with their units, in words a user reads.</summary>
    [Fact]
    public void APlanSaysWhatDataIsMissingAndGivesItsUnits()
    {
        using var temp = new TempFolder("plan-all-");
        var dir = temp.Path;
        using var client = ChildProcess.StartBuilt("src/Client", "unlearn.dll", ["grid", "all", "--plan", "--data", dir, "--out", dir]);
        Assert.True(client.WaitForExit(TimeSpan.FromMinutes(1)), $"the plan did not finish within 1 minute\n{client.Printed}");
        Assert.True(client.ExitCode == 0, $"exit code {client.ExitCode}\n{client.Errors}");
        // The warnings on standard error, the plan on standard output.
        Assert.Contains($"warning: ml-1m: {Path.Combine(dir, "ml-1m", "ratings.dat")} and {Path.Combine(dir, "ml-1m", "users.dat")} not found; run the client's `data fetch ml-1m`", client.Errors);
        Assert.Contains("The grid tries that download first; offline, its cells fail", client.Errors);
        Assert.Contains("warning: ml-100k:", client.Errors);
        Assert.Contains("warning: lfm-2b: ", client.Errors);
        Assert.Contains("its cells run on LFM-2B (synthetic), a generated stand-in", client.Errors);
        Assert.DoesNotContain("warning:", client.Output);
        Assert.Matches(@"expected wall time \d+ d \d+ h:", client.Output);
        Assert.Matches(@"\| lfm-2b-synthetic/lightgcn/retrain/paper/seed2023 \| \d+ (d \d+ h|h \d\d min) \|", client.Output);
        Assert.DoesNotMatch(@"\d+\.\d\d:\d\d:\d\d", client.Output);
        Assert.DoesNotContain("CellCostModel", client.Output);
        Assert.DoesNotContain("issue 10", client.Output);
    }
}
