using System.Security.Cryptography;
using Unlearning.Tests.Shared;

namespace Unlearning.Grains.Tests.EndToEnd;

/// <summary>
/// What a new user meets running grids on one machine: a run id that names one set of cells, a run
/// folder that still draws its plots after it was moved, standard output that holds the result and
/// nothing else, an interrupted grid that stops quietly, a diverged cell said in one line, a client
/// that says what it waits for, and a silo that starts alone without a cluster.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class NewUserTests : IDisposable
{
    private readonly TempFolder _temp = new("new-user-");
    private string _dir => _temp.Path;

    private static ChildProcess Client(params string[] args) => ChildProcess.RunClient(TimeSpan.FromMinutes(4), args);

    private static void NoLogNoise(ChildProcess process)
    {
        Assert.DoesNotContain("   at ", process.Errors);
        Assert.DoesNotMatch(@"(?m)^(warn|fail|crit)\b", process.Errors);
        Assert.DoesNotMatch(@"(?m)^(warn|fail|crit|info)\b", process.Output);
    }

    [Fact]
    public void ARunIdNamesOneSetOfCellsAndAMovedRunStillDrawsItsPlots()
    {
        var outDir = Path.Combine(_dir, "out");
        string[] Grid(string models) => ["grid", "synthetic-small", "--profile", "tiny", "--models", models, "--methods", "original", "--run", "mine", "--data", _dir, "--out", outDir];
        using var first = Client(Grid("ncf"));
        Assert.True(first.ExitCode == 0, first.Printed);
        var report = Path.Combine(outDir, "runs", "mine", "report.md");
        // Standard output is the result alone; progress and timing went to standard error.
        Assert.Equal($"report: {report}", first.Output.Trim());
        Assert.Contains("timing: grid wall", first.Errors);
        NoLogNoise(first);
        var before = SHA256.HashData(File.ReadAllBytes(Path.Combine(outDir, "runs", "mine", "grid.json")));

        using var other = Client(Grid("lightgcn"));
        Assert.Equal(2, other.ExitCode);
        Assert.StartsWith($"error: run 'mine' already exists with other cells (1); its run file is {Path.Combine(outDir, "runs", "mine", "grid.json")}", other.Errors);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(Path.Combine(outDir, "runs", "mine", "grid.json"))));
        Assert.Single(Directory.GetFiles(Path.Combine(outDir, "cells"), "result.json", SearchOption.AllDirectories));

        // The same cells again: reused, not refused. The log at the level asked for goes to standard error.
        using var again = Client([.. Grid("ncf"), "--log-level", "information"]);
        Assert.True(again.ExitCode == 0, again.Printed);
        Assert.Contains("reused", again.Errors);
        Assert.Matches(@"(?m)^info: Orleans", again.Errors);
        Assert.Equal($"report: {report}", again.Output.Trim());

        // The whole folder copied, the original's embeddings then damaged: the copy's run file points
        // into the copy (its paths are relative), so its plots are drawn from its own, intact files.
        var copy = Path.Combine(_dir, "copy");
        CopyFolder(outDir, copy);
        var original = Directory.GetFiles(Path.Combine(outDir, "cells"), "user_embeddings.npy", SearchOption.AllDirectories).Single();
        File.WriteAllBytes(original, new byte[File.ReadAllBytes(original).Length]);
        AssertPlotsDrawn(copy);
        // The damaged original is refused, never drawn.
        using var damaged = Client("report", "mine", "--out", outDir, "--cell-plots", "all");
        Assert.True(damaged.ExitCode == 0, damaged.Printed);
        Assert.Contains("does not match its checksum", File.ReadAllText(report));

        // A run file whose paths lead nowhere (written before paths were relative, on another machine):
        // each cell is found by its config hash in the store of the OUT that holds the run.
        var runFile = Path.Combine(copy, "runs", "mine", "grid.json");
        File.WriteAllText(runFile, File.ReadAllText(runFile).Replace("../../cells/", "/nowhere/cells/", StringComparison.Ordinal));
        Assert.Contains("/nowhere/cells/", File.ReadAllText(runFile));
        AssertPlotsDrawn(copy);
    }

    private static void AssertPlotsDrawn(string outDir)
    {
        using var redraw = Client("report", "mine", "--out", outDir, "--cell-plots", "all");
        Assert.True(redraw.ExitCode == 0, redraw.Printed);
        var markdown = File.ReadAllText(Path.Combine(outDir, "runs", "mine", "report.md"));
        Assert.DoesNotContain("Not drawn", markdown);
        Assert.DoesNotContain("not drawn", markdown);
        Assert.Contains("-embedding.png)", markdown);
        Assert.True(File.Exists(Path.Combine(outDir, "runs", "mine", "plots", "synthetic-small_ncf_original_tiny_seed2023-embedding.png")));
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories)) File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
    }

    /// <summary>SIGTERM is handled as Ctrl-C (<c>Interrupt</c>); it is the signal a test can send to a
    /// child whose SIGINT its parent may ignore.</summary>
    [Fact]
    public async Task AnInterruptedEmbeddedGridStopsQuietly()
    {
        using var grid = ChildProcess.StartBuilt("src/Client", "unlearn.dll", ["grid", "synthetic-small", "--profile", "paper", "--models", "ncf,lightgcn",
            "--methods", "original,retrain", "--run", "stopped", "--data", _dir, "--out", _dir]);
        await grid.WaitForLine("Running", TimeSpan.FromMinutes(2), errors: true);
        grid.Signal("TERM");
        Assert.True(grid.WaitForExit(TimeSpan.FromMinutes(1)), $"the grid did not stop within a minute\n{grid.Printed}");
        Assert.True(grid.ExitCode == 130, $"exit code {grid.ExitCode}\n{grid.Printed}");
        Assert.Contains("stopped; finished cells are kept", grid.Errors);
        Assert.Equal("", grid.Output);
        NoLogNoise(grid);
    }

    [Fact]
    public void ADivergedCellIsSaidInOneLine()
    {
        using var cell = Client("cell", "--dataset", "synthetic-small", "--model", "ncf", "--method", "original", "--profile", "tiny",
            "--set", "training.learning_rate=1e30", "--data", _dir, "--out", _dir);
        Assert.Equal(1, cell.ExitCode);
        Assert.Contains("error: cell synthetic-small/ncf/original failed: training diverged at epoch 1", cell.Errors);
        Assert.DoesNotContain("   at ", cell.Errors);

        using var grid = Client("grid", "synthetic-small", "--profile", "tiny", "--models", "ncf", "--methods", "original",
            "--set", "training.learning_rate=1e30", "--run", "diverged", "--data", _dir, "--out", _dir);
        Assert.Equal(1, grid.ExitCode);
        Assert.Matches(@"(?m)^synthetic-small +ncf +original +Failed .*training diverged at epoch 1", grid.Errors);
        Assert.DoesNotContain("   at ", grid.Errors);
        Assert.DoesNotContain("TrainingDivergedException", grid.Errors);
    }

    [Fact]
    public async Task AClientSaysWhatItWaitsForAndGivesUpWithTheReason()
    {
        Assert.SkipWhen(LoopbackCluster.RedisServer is null, "redis-server is not installed (.ci/run installs it)");
        await using var cluster = new LoopbackCluster();
        await cluster.StartRedis();
        var client = cluster.StartClient(["grid", "synthetic-small", "--profile", "tiny", "--out", _dir], new() { ["UNLEARN_SILO_WAIT"] = "3" });
        var waiting = await client.WaitForLine("waiting for a silo", TimeSpan.FromSeconds(30), errors: true);
        Assert.Contains($"Redis at {cluster.Redis} answers, but no silo of cluster '{cluster.ClusterId}'", waiting);
        Assert.True(client.WaitForExit(TimeSpan.FromMinutes(1)), $"the client did not give up\n{client.Printed}");
        Assert.Equal(2, client.ExitCode);
        Assert.Contains($"error: cannot connect to the cluster at {cluster.Redis}: no silo of cluster '{cluster.ClusterId}' (service 'unlearning-grid') joined within 3 s", client.Errors);
        NoLogNoise(client);

        using var unreachable = Client("grid", "synthetic-small", "--cluster", $"unix:{Path.Combine(_dir, "none.sock")}", "--out", _dir);
        Assert.Equal(2, unreachable.ExitCode);
        Assert.Contains("Redis does not answer there", unreachable.Errors);
        Assert.DoesNotContain("abortConnect", unreachable.Errors);
        Assert.DoesNotContain("in your code", unreachable.Errors);
    }

    [Fact]
    public async Task ASiloWithoutAClusterStartsAloneOrNamesWhatIsMissing()
    {
        var env = new Dictionary<string, string>
        {
            ["Cluster__SiloPort"] = "0", ["Cluster__GatewayPort"] = "0", ["Metrics__Port"] = "0",
            ["Storage__Data"] = _dir, ["Storage__Artifacts"] = Path.Combine(_dir, "artifacts"), ["Cells__Slots"] = "1",
        };
        using var alone = ChildProcess.StartBuilt("src/Silo", "unlearn-silo.dll", [], env);
        Assert.Matches(@"^silo \S+ listening: silo port \d+, gateway port \d+$", await alone.WaitForLine("listening:", TimeSpan.FromMinutes(1)));
        // Its log is on standard error; standard output holds its own lines.
        Assert.DoesNotMatch(@"(?m)^(info|warn|fail)\b", alone.Output);

        int closed = SiloStarter.FreePort();
        using var joining = ChildProcess.StartBuilt("src/Silo", "unlearn-silo.dll", [], new Dictionary<string, string>(env) { ["Cluster__PrimarySiloPort"] = closed.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.True(joining.WaitForExit(TimeSpan.FromMinutes(1)), $"the silo did not refuse within a minute\n{joining.Printed}");
        Assert.Equal(2, joining.ExitCode);
        Assert.StartsWith($"error: Cluster__PrimarySiloPort={closed}: no silo listens on 127.0.0.1:{closed}", joining.Errors);
    }

    public void Dispose() => _temp.Dispose();
}
