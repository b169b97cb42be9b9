using Unlearning.Tests.Shared;

namespace Unlearning.Tests.Programs;

/// <summary>The command line's answer to input it cannot use: one line naming the value, exit code 2.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ClientErrorTests
{
    private static ChildProcess Client(params string[] args)
    {
        var client = ChildProcess.StartBuilt("src/Client", "unlearn.dll", args);
        Assert.True(client.WaitForExit(TimeSpan.FromMinutes(2)), "the client did not finish");
        return client;
    }

    [Fact]
    public void AnUnreachableClusterIsNamed()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"no-redis-{Guid.NewGuid():N}.sock");
        using var client = Client("grid", "synthetic-small", "--profile", "tiny", "--cluster", $"unix:{socket}", "--out", Path.GetTempPath());
        Assert.Equal(2, client.ExitCode);
        Assert.StartsWith($"error: cannot connect to the cluster at unix:{socket}:", client.Errors);
        Assert.DoesNotContain("   at ", client.Errors);
    }

    [Fact]
    public void AnUnknownModelIsNamed()
    {
        using var client = Client("grid", "synthetic-small", "--models", "svd", "--out", Path.GetTempPath());
        Assert.Equal(2, client.ExitCode);
        Assert.Contains("unknown model 'svd'", client.Errors);
    }
}
