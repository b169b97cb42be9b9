using Unlearning.Tests.Shared;

namespace Unlearning.Tests.Programs;

/// <summary>The command line's answer to input it cannot use: one line naming the value, exit code 2.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ClientErrorTests
{
    private static ChildProcess Client(params string[] args)
    {
        var client = ChildProcess.StartBuilt("src/Client", "unlearn.dll", args);
        Assert.True(client.WaitForExit(TimeSpan.FromMinutes(2)), $"the client did not finish within 2 minutes\n{client.Printed}");
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

    /// <summary>CUDA asked for where none is usable: the cell fails at once, naming the library and the
    /// device, before any data is read.</summary>
    [Fact]
    public void AnUnusableCudaDeviceIsNamed()
    {
        Assert.SkipWhen(Unlearning.Util.TorchRuntime.CudaAvailable, "this machine has CUDA");
        using var temp = new TempFolder("cuda-");
        var dir = temp.Path;
        using var plain = Client("cell", "--dataset", "synthetic-small", "--model", "ncf", "--method", "original", "--profile", "tiny", "--device", "cuda", "--data", dir, "--out", dir);
        Assert.Equal(2, plain.ExitCode);
        Assert.Contains("error: device 'cuda' was requested but CUDA is not usable: this build's libtorch has no CUDA and UNLEARN_LIBTORCH is not set", plain.Errors);
        Assert.DoesNotContain("synthetic-small:", plain.Errors);

        var empty = Directory.CreateDirectory(Path.Combine(dir, "lib")).FullName;
        using var configured = ChildProcess.StartBuilt("src/Client", "unlearn.dll", ["cell", "--dataset", "synthetic-small", "--model", "ncf", "--method", "original",
            "--profile", "tiny", "--device", "cuda:1", "--data", dir, "--out", dir], new Dictionary<string, string> { ["UNLEARN_LIBTORCH"] = empty });
        Assert.True(configured.WaitForExit(TimeSpan.FromMinutes(1)), $"configured did not exit within 1 minute\n{configured.Printed}");
        Assert.Equal(2, configured.ExitCode);
        Assert.Contains($"error: device 'cuda:1' was requested but CUDA is not usable: CUDA libtorch could not be loaded: UNLEARN_LIBTORCH={empty} has no libtorch_cuda.so", configured.Errors);
    }
}
