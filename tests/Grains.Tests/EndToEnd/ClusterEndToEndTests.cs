using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Unlearning.Grains.Tests.EndToEnd;

/// <summary>
/// The real deployment shape on one machine: a redis-server, two silo processes (Redis clustering,
/// grain state and reminders) and the command-line client connecting to them, running a small grid
/// to completion. Slower than the other tests (about 20 s).
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ClusterEndToEndTests : IDisposable
{
    private readonly List<Process> _processes = [];
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"e2e-{Guid.NewGuid():N}");

    [Fact]
    public async Task TwoSiloProcessesAndAClientRunAGridThroughRedis()
    {
        var redisServer = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists);
        Assert.SkipWhen(redisServer is null, "redis-server is not installed (apt-get install redis-server; .ci/run installs it)");
        Directory.CreateDirectory(_dir);
        int redisPort = FreePort();
        Start(redisServer!, ["--port", $"{redisPort}", "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"], new());
        await WaitForPort(redisPort);

        var redis = $"redis://127.0.0.1:{redisPort}";
        for (int i = 1; i <= 2; i++)
        {
            Start("dotnet", [Built("Silo", "unlearn-silo.dll")], new()
            {
                ["Cluster__Redis"] = redis,
                ["Cluster__ClusterId"] = $"e2e-{redisPort}",
                ["Cluster__SiloPort"] = $"{FreePort()}",
                ["Cluster__GatewayPort"] = $"{FreePort()}",
                ["Cluster__AdvertisedIp"] = "127.0.0.1",
                ["Cluster__SiloName"] = $"silo{i}",
                ["Cells__Slots"] = "1",
                ["Cells__Gpus"] = "0",
                ["Metrics__Port"] = "0",
            });
        }

        var client = Start("dotnet", [Built("Client", "unlearn.dll"), "grid", "synthetic-small", "--profile", "tiny", "--models", "ncf,lightgcn",
            "--methods", "original,d2d", "--cluster", redis, "--out", Path.Combine(_dir, "out"), "--data", _dir, "--run", "e2e"],
            new() { ["Cluster__ClusterId"] = $"e2e-{redisPort}" }, captureOutput: true);
        var stdout = client.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = client.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        bool exited = client.WaitForExit(TimeSpan.FromMinutes(5));
        Assert.True(exited, "the client did not finish the grid within 5 minutes");
        Assert.True(client.ExitCode == 0, $"client exit code {client.ExitCode}\n{await stderr}\n{await stdout}");

        var run = GridRun.Load(Path.Combine(_dir, "out"), "e2e");
        Assert.Equal(4, run.Cells.Count);
        Assert.All(run.Cells, c => Assert.Equal(CellState.Done, c.State));
        Assert.All(run.Cells, c => Assert.Contains(c.Silo, new[] { "silo1", "silo2" }));
        Assert.Contains("| LightGCN | synthetic-small | D2D-R |", await stdout);
        Assert.True(File.Exists(Path.Combine(_dir, "out", "runs", "e2e", "report.csv")));

        // Ctrl-C / SIGTERM detaches the client; the cluster finishes the run; `grid status` re-attaches.
        string[] Client(params string[] rest) => [Built("Client", "unlearn.dll"), .. rest, "--cluster", redis, "--out", Path.Combine(_dir, "out")];
        var env = new Dictionary<string, string> { ["Cluster__ClusterId"] = $"e2e-{redisPort}" };
        var detaching = Start("dotnet", Client("grid", "synthetic-small", "--profile", "tiny", "--seeds", "2", "--models", "ncf", "--methods", "original,retrain,adv",
            "--data", _dir, "--run", "detach"), env, captureOutput: true);
        var detachErr = detaching.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        _ = detaching.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var started = DateTime.UtcNow;
        while (!File.Exists(Path.Combine(_dir, "out", "runs", "detach", "grid.json")) && DateTime.UtcNow - started < TimeSpan.FromMinutes(1))
            await Task.Delay(100, TestContext.Current.CancellationToken);
        using (var kill = Process.Start("kill", ["-TERM", $"{detaching.Id}"])) kill.WaitForExit();
        Assert.True(detaching.WaitForExit(TimeSpan.FromSeconds(30)), "the client did not detach on SIGTERM");
        Assert.Equal(130, detaching.ExitCode);
        Assert.Contains("detached", await detachErr);

        var status = Start("dotnet", Client("grid", "status", "detach"), env, captureOutput: true);
        var statusOut = status.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.True(status.WaitForExit(TimeSpan.FromMinutes(3)), "grid status did not see the run finish");
        Assert.Equal(0, status.ExitCode);
        Assert.Equal(6, GridRun.Load(Path.Combine(_dir, "out"), "detach").Cells.Count(c => c.State == CellState.Done));
        Assert.Contains("| NMF | synthetic-small (seed 2024) | Adv-InT |", await statusOut);
    }

    private static string Built(string project, string dll)
    {
        // Same configuration as this test assembly (bin/<Configuration>/net10.0).
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = here.Name, configuration = here.Parent!.Name;
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Unlearning.slnx"))) root = root.Parent;
        var path = Path.Combine(root!.FullName, "src", project, "bin", configuration, framework, dll);
        Assert.True(File.Exists(path), $"{path} is not built");
        return path;
    }

    private Process Start(string file, string[] args, Dictionary<string, string> env, bool captureOutput = false)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        var process = Process.Start(info)!;
        if (!captureOutput)
        {
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
        _processes.Add(process);
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPort(int port)
    {
        for (int i = 0; i < 100; i++)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"nothing listens on port {port}");
    }

    public void Dispose()
    {
        foreach (var p in Enumerable.Reverse(_processes))
        {
            try { if (!p.HasExited) p.Kill(entireProcessTree: true); p.WaitForExit(5000); }
            catch (InvalidOperationException) { }
            p.Dispose();
        }
        try { if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
