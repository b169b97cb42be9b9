namespace Unlearning.Grains.Tests.EndToEnd;

/// <summary>A silo process's answer to a cluster it cannot join, and its handling of a Redis password.</summary>
[Trait("Category", "EndToEnd")]
public sealed class SiloProcessTests
{
    [Fact]
    public async Task ASiloThatCannotReachRedisSaysSoInOneLineAndExits2()
    {
        await using var cluster = new LoopbackCluster(); // no redis-server started: its socket does not exist
        using var silo = cluster.Silo("lonely");
        Assert.True(silo.WaitForExit(TimeSpan.FromMinutes(2)), $"the silo did not give up within 2 minutes\n{silo.Printed}");
        Assert.Equal(2, silo.ExitCode);
        // Its log (standard error) ends with the one line that says why.
        var lines = silo.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"error: cannot join the cluster at {cluster.Redis}: ", lines[^1]);
        Assert.Single(lines, l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.DoesNotContain("abortConnect", lines[^1]);
        // Found before Orleans starts: no retries and stack traces before it.
        Assert.DoesNotContain("   at ", silo.Errors);
    }

    /// <summary>The password comes from a file (a mounted secret); silos and client use it, and it is
    /// in no log line even at debug level. A password inside the address is refused.</summary>
    [Fact]
    public async Task ARedisPasswordFromAFileWorksAndIsNeverLogged()
    {
        Assert.SkipWhen(LoopbackCluster.RedisServer is null, "redis-server is not installed (.ci/run installs it)");
        await using var cluster = new LoopbackCluster();
        var password = $"pw-{Guid.NewGuid():N}";
        var secret = Path.Combine(cluster.Dir, "redis-password");
        File.WriteAllText(secret, password + "\n");
        await cluster.StartRedis("--requirepass", password);
        var withSecret = new Dictionary<string, string> { ["Cluster__RedisPasswordFile"] = secret, ["Logging__LogLevel__Default"] = "Debug" };

        var silo = await cluster.StartSilo("guarded", withSecret);
        var client = cluster.StartClient(["grid", "synthetic-small", "--profile", "tiny", "--models", "ncf", "--methods", "original", "--run", "pw",
            "--out", Path.Combine(cluster.Dir, "client")], withSecret);
        Assert.True(client.WaitForExit(TimeSpan.FromMinutes(3)), $"the client did not finish within 3 minutes\n{client.Printed}");
        Assert.True(client.ExitCode == 0, $"exit code {client.ExitCode}\n{client.Errors}");
        foreach (var text in new[] { silo.Output, silo.Errors, client.Output, client.Errors })
            Assert.DoesNotContain(password, text);

        using var refused = cluster.Silo("in-address", new Dictionary<string, string> { ["Cluster__Redis"] = $"redis://:{password}@127.0.0.1:6379" });
        Assert.True(refused.WaitForExit(TimeSpan.FromMinutes(1)), $"refused did not exit within 1 minute\n{refused.Printed}");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("must not carry a password", refused.Errors);

        // Without the password the cluster refuses the silo.
        using var stranger = cluster.Silo("stranger");
        Assert.True(stranger.WaitForExit(TimeSpan.FromMinutes(2)), $"stranger did not exit within 2 minutes\n{stranger.Printed}");
        Assert.Equal(2, stranger.ExitCode);
    }

    /// <summary>A silo configured for CUDA on a machine without a usable one refuses to start, naming why.</summary>
    [Fact]
    public async Task ASiloConfiguredForCudaWithoutItRefusesToStart()
    {
        Assert.SkipWhen(Unlearning.Util.TorchRuntime.CudaAvailable, "this machine has CUDA");
        await using var cluster = new LoopbackCluster();
        using var silo = cluster.Silo("gpu-less", new Dictionary<string, string> { ["Cells__Device"] = "cuda" });
        Assert.True(silo.WaitForExit(TimeSpan.FromMinutes(1)), $"the silo did not stop within 1 minute\n{silo.Printed}");
        Assert.Equal(2, silo.ExitCode);
        Assert.StartsWith("error: device 'cuda' was requested but CUDA is not usable: this build's libtorch has no CUDA", silo.Errors);
    }
}
