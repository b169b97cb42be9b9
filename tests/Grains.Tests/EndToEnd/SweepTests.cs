using Unlearning.Tests.Shared;

namespace Unlearning.Grains.Tests.EndToEnd;

/// <summary><c>grid --sweep</c>: one cell per value, one original for all of them, and a report that
/// names each row's setting and places the cells on the utility/privacy plane.</summary>
[Trait("Category", "EndToEnd")]
public sealed class SweepTests
{
    [Fact]
    public void ASweepRunsOneCellPerValueFromOneOriginal()
    {
        var dir = Directory.CreateTempSubdirectory("sweep-").FullName;
        try
        {
            using var client = ChildProcess.StartBuilt("src/Client", "unlearn.dll", ["grid", "synthetic-small", "--profile", "tiny", "--models", "ncf",
                "--methods", "d2d", "--sweep", "unlearning.trade_off=0,1", "--set", "training.epochs=1", "--run", "sweep", "--data", dir, "--out", dir]);
            Assert.True(client.WaitForExit(TimeSpan.FromMinutes(8)), $"the grid did not finish within 8 minutes\n{client.Printed}");
            Assert.True(client.ExitCode == 0, $"exit code {client.ExitCode}\n{client.Printed}");
            var report = File.ReadAllText(Path.Combine(dir, "runs", "sweep", "report.md"));
            Assert.Contains("| NMF | synthetic-small [training.epochs=1] | Original |", report);
            Assert.Contains("| NMF | synthetic-small [training.epochs=1;unlearning.trade_off=0] | D2D-R |", report);
            Assert.Contains("| NMF | synthetic-small [training.epochs=1;unlearning.trade_off=1] | D2D-R |", report);
            Assert.Contains("* `tiny;training.epochs=1;unlearning.trade_off=1`: ", report);
            Assert.Contains("unlearning.trade_off=1 (paper 1E-06)", report);
            Assert.Contains("## Utility and privacy", report);
            Assert.Matches(@"\| NMF \| synthetic-small \| D2D-R \| training.epochs=1;unlearning.trade_off=0 \| [0-9.]+ \| [0-9.]+( \*)? \| [0-9.]+( \*)? \|", report);
            // One original, trained once, for both values.
            var results = Directory.GetFiles(Path.Combine(dir, "cells"), "result.json", SearchOption.AllDirectories);
            Assert.Equal(3, results.Length);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
