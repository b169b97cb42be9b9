using Unlearning.Tests.Shared;
using System.Text.Json;

namespace Unlearning.Grains.Tests;

public sealed class PodDeletionCostTests
{
    /// <summary>A scale-down removes the lowest cost first: idle silos, then those with only queued
    /// cells (which move at no loss), then busy ones, the busiest last.</summary>
    [Fact]
    public void IdleSilosCostLeastAndRunningCellsMost()
    {
        Assert.Equal(0, PodDeletionCost.For(running: 0, queued: 0));
        Assert.True(PodDeletionCost.For(0, 0) < PodDeletionCost.For(0, 5));
        Assert.True(PodDeletionCost.For(0, 999) < PodDeletionCost.For(1, 0));
        Assert.True(PodDeletionCost.For(1, 3) < PodDeletionCost.For(2, 0));
        Assert.Equal(int.MaxValue, PodDeletionCost.For(int.MaxValue, int.MaxValue));
    }

    [Fact]
    public void ThePatchSetsTheAnnotationOnly()
    {
        using var patch = JsonDocument.Parse(PodDeletionCost.Patch(2001));
        var metadata = Assert.Single(patch.RootElement.EnumerateObject());
        Assert.Equal("metadata", metadata.Name);
        var annotation = Assert.Single(metadata.Value.GetProperty("annotations").EnumerateObject());
        Assert.Equal("controller.kubernetes.io/pod-deletion-cost", annotation.Name);
        Assert.Equal("2001", annotation.Value.GetString());
    }

    [Theory]
    [InlineData(null, "ns", "Pod__Name")]
    [InlineData("silo-0", " ", "Pod__Namespace")]
    public void ASwitchedOnCostNeedsThePodsNameAndNamespace(string? name, string? ns, string missing)
    {
        var error = Assert.Throws<ArgumentException>(() => new PodOptions { DeletionCost = true, Name = name, Namespace = ns }.Validate());
        Assert.Contains(missing, error.Message);
        new PodOptions { Name = name, Namespace = ns }.Validate();
    }

    /// <summary>Outside a pod (no service-account token) the silo refuses at start instead of logging a failed patch for days.</summary>
    [Fact]
    public void ASiloAskedForTheCostOutsideAPodExitsNamingTheToken()
    {
        using var temp = new TempFolder();
        using var silo = ChildProcess.StartBuilt("src/Silo", "unlearn-silo.dll", [], new Dictionary<string, string>
        {
            ["Cluster__SiloPort"] = "0", ["Cluster__GatewayPort"] = "0", ["Metrics__Port"] = "0",
            ["Storage__Data"] = temp.Path, ["Storage__Artifacts"] = System.IO.Path.Combine(temp.Path, "artifacts"), ["Cells__Slots"] = "1",
            ["Pod__DeletionCost"] = "true", ["Pod__Name"] = "silo-0", ["Pod__Namespace"] = "unlearning",
        });
        Assert.True(silo.WaitForExit(TimeSpan.FromMinutes(1)), $"the silo did not refuse within a minute\n{silo.Printed}");
        Assert.Equal(2, silo.ExitCode);
        Assert.StartsWith("error: Pod__DeletionCost=true needs the Kubernetes API from inside a pod", silo.Errors);
    }
}
