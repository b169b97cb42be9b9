using Unlearning.Tests.Shared;

namespace Unlearning.Grains.Tests.EndToEnd;

/// <summary>
/// The real deployment shape on one machine: a redis-server, two silo processes (Redis clustering,
/// grain state and reminders) and the command-line client connecting to them, running a small grid
/// to completion, then detaching from a second grid and re-attaching. Slower than the other tests
/// (about 30 s). No port is guessed: Redis listens on a Unix socket and the silos pick their own
/// ports and print them.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ClusterEndToEndTests : IDisposable
{
    private readonly List<ChildProcess> _processes = [];
    private readonly TempFolder _temp = new("e2e-");
    private string _dir => _temp.Path;

    [Fact]
    public async Task TwoSiloProcessesAndAClientRunAGridThroughRedis()
    {
        var redisServer = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists);
        Assert.SkipWhen(redisServer is null, "redis-server is not installed (apt-get install redis-server; .ci/run installs it)");
        Directory.CreateDirectory(_dir);
        var socket = Path.Combine(_dir, "redis.sock");
        Keep(ChildProcess.Start(redisServer!, ["--port", "0", "--unixsocket", socket, "--save", "", "--appendonly", "no"]));
        await WaitFor(() => File.Exists(socket), "redis-server socket");

        var redis = $"unix:{socket}";
        var clusterId = $"e2e-{Guid.NewGuid():N}";
        var silos = Enumerable.Range(1, 2).Select(i => Keep(ChildProcess.StartBuilt("src/Silo", "unlearn-silo.dll", [], new Dictionary<string, string>
        {
            ["Cluster__Redis"] = redis,
            ["Cluster__ClusterId"] = clusterId,
            ["Cluster__SiloPort"] = "0",
            ["Cluster__GatewayPort"] = "0",
            ["Cluster__AdvertisedIp"] = "127.0.0.1",
            ["Cluster__SiloName"] = $"silo{i}",
            ["Cells__Slots"] = "1",
            ["Cells__Gpus"] = "0",
            ["Metrics__Port"] = "0",
            ["Storage__Data"] = _dir,
            ["Storage__Artifacts"] = Path.Combine(_dir, "artifacts"),
        }))).ToList();
        foreach (var silo in silos)
            Assert.Matches(@"^silo silo\d listening: silo port \d+, gateway port \d+$", await silo.WaitForLine("listening:", TimeSpan.FromMinutes(1)));

        var env = new Dictionary<string, string> { ["Cluster__ClusterId"] = clusterId };
        string[] Client(params string[] rest) => [.. rest, "--cluster", redis, "--out", Path.Combine(_dir, "out")];
        var client = Keep(ChildProcess.StartBuilt("src/Client", "unlearn.dll", Client("grid", "synthetic-small", "--profile", "tiny", "--models", "ncf,lightgcn",
            "--methods", "original,d2d", "--data", _dir, "--run", "e2e"), env));
        Assert.True(client.WaitForExit(TimeSpan.FromMinutes(5)), $"the client did not finish the grid within 5 minutes\n{client.Printed}");
        Assert.True(client.ExitCode == 0, $"client exit code {client.ExitCode}\n{client.Errors}\n{client.Output}");

        var run = GridRun.Load(Path.Combine(_dir, "out"), "e2e");
        Assert.Equal(4, run.Cells.Count);
        Assert.All(run.Cells, c => Assert.Equal(CellState.Done, c.State));
        // Both silos worked, each on one cell at a time (read from the silos' timestamps).
        Assert.Equal(["silo1", "silo2"], run.Cells.Select(c => c.Silo!).Distinct().Order());
        var timeline = GridTimeline.From(new GridStatus(run.RunId, run.Cells, run.StartedAt, run.FinishedAt));
        Assert.All(timeline.MostAtOncePerSilo.Values, n => Assert.Equal(1, n));
        Assert.Equal(2, timeline.DependencySeconds.Count);
        // Standard output is the result, where the tables are; the progress and the timing went to standard error.
        Assert.Equal($"report: {Path.Combine(_dir, "out", "runs", "e2e", "report.md")}", client.Output.Trim());
        Assert.Contains("| LightGCN | synthetic-small | D2D-R |", File.ReadAllText(Path.Combine(_dir, "out", "runs", "e2e", "report.md")));
        Assert.Contains("timing: grid wall", client.Errors);
        Assert.True(File.Exists(Path.Combine(_dir, "out", "runs", "e2e", "report.csv")));
        TestContext.Current.TestOutputHelper?.WriteLine(timeline.Summary());

        // `report` against the cluster: the tables come from the grid state in Redis, into a folder
        // that neither the silos nor the first client ever wrote.
        var elsewhere = Path.Combine(_dir, "elsewhere");
        var report = Keep(ChildProcess.StartBuilt("src/Client", "unlearn.dll", ["report", "e2e", "--cluster", redis, "--out", elsewhere], env));
        Assert.True(report.WaitForExit(TimeSpan.FromMinutes(1)), $"report did not finish within 1 minute\n{report.Printed}");
        Assert.True(report.ExitCode == 0, $"report exit code {report.ExitCode}\n{report.Errors}");
        Assert.Contains("| LightGCN | synthetic-small | D2D-R |", File.ReadAllText(Path.Combine(elsewhere, "runs", "e2e", "report.md")));
        Assert.Equal(4, GridRun.Load(elsewhere, "e2e").Cells.Count);

        // SIGTERM detaches a client that is watching (it has printed its first cell lines); the
        // cluster finishes the run; `grid status` re-attaches.
        var detaching = Keep(ChildProcess.StartBuilt("src/Client", "unlearn.dll", Client("grid", "synthetic-small", "--profile", "tiny", "--seeds", "2", "--models", "ncf",
            "--methods", "original,retrain,adv", "--data", _dir, "--run", "detach"), env));
        await detaching.WaitForLine("synthetic-small", TimeSpan.FromMinutes(1), errors: true);
        detaching.Signal("TERM");
        Assert.True(detaching.WaitForExit(TimeSpan.FromSeconds(30)), $"the client did not detach on SIGTERM within 30 seconds\n{detaching.Printed}");
        Assert.True(detaching.ExitCode == 130, $"exit code {detaching.ExitCode}\n{detaching.Errors}");
        Assert.Contains("detached", detaching.Errors);

        var status = Keep(ChildProcess.StartBuilt("src/Client", "unlearn.dll", Client("grid", "status", "detach"), env));
        Assert.True(status.WaitForExit(TimeSpan.FromMinutes(3)), $"grid status did not see the run finish within 3 minutes\n{status.Printed}");
        Assert.True(status.ExitCode == 0, $"exit code {status.ExitCode}\n{status.Errors}");
        Assert.Equal(6, GridRun.Load(Path.Combine(_dir, "out"), "detach").Cells.Count(c => c.State == CellState.Done));
        Assert.Contains("| NMF | synthetic-small (2 seeds) | Adv-InT |", File.ReadAllText(Path.Combine(_dir, "out", "runs", "detach", "report.md")));
    }

    private ChildProcess Keep(ChildProcess process)
    {
        _processes.Add(process);
        return process;
    }

    private static async Task WaitFor(Func<bool> condition, string what)
    {
        for (int i = 0; i < 200; i++)
        {
            if (condition()) return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"no {what} after 10 s");
    }

    public void Dispose()
    {
        foreach (var p in Enumerable.Reverse(_processes)) p.Dispose();
        try { if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
