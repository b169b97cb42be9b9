using Unlearning.Experiments;
using Unlearning.Tests.Shared;

namespace Unlearning.Tests.Programs;

/// <summary>A <c>cell</c> process killed (SIGKILL) in the middle of training, started again with the
/// same --out, continues from its last epoch, says so, and ends with an undisturbed run's numbers.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ResumeTests : IDisposable
{
    private readonly TempFolder _temp = new("resume-");
    private string _dir => _temp.Path;

    private ChildProcess Cell(string output) => ChildProcess.StartBuilt("src/Client", "unlearn.dll",
        ["cell", "--dataset", "synthetic-small", "--model", "ncf", "--method", "original", "--profile", "paper", "--seed", "4",
         "--device", "cpu", "--data", _dir, "--out", Path.Combine(_dir, output)]);

    private static CellResult Finish(ChildProcess p)
    {
        // A hang guard, not a speed target: the test assemblies run side by side on CI's 2 cores.
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(8)), $"the cell did not finish within 8 minutes\n{p.Printed}");
        Assert.True(p.ExitCode == 0, $"exit code {p.ExitCode}\n{p.Errors}");
        return CellResult.Load(p.Output.Split('\n').Last(l => l.StartsWith("result: ", StringComparison.Ordinal))["result: ".Length..]);
    }

    [Fact]
    public async Task ACellKilledMidTrainingContinuesFromItsLastEpoch()
    {
        using var undisturbed = Cell("undisturbed");
        using (var killed = Cell("resumed"))
        {
            var deadline = DateTime.UtcNow.AddMinutes(5);
            while (!killed.Errors.Contains("epoch 3:"))
            {
                Assert.False(killed.HasExited, $"the cell exited before its third epoch\n{killed.Printed}");
                Assert.True(DateTime.UtcNow < deadline, $"no third epoch within 5 minutes\n{killed.Printed}");
                await Task.Delay(20);
            }
            killed.Signal("KILL");
            Assert.True(killed.WaitForExit(TimeSpan.FromSeconds(10)), $"killed did not exit within 10 seconds\n{killed.Printed}");
        }
        using var again = Cell("resumed");
        var resumed = Finish(again);
        var expected = Finish(undisturbed);

        Assert.Matches(@"resumed from its checkpoint after epoch ([3-9]|1\d|2[0-4]) of 25", again.Errors);
        Assert.StartsWith("after epoch", resumed.ResumedFrom);
        Assert.Equal(expected.Recommendation, resumed.Recommendation);
        Assert.Equal(expected.Attacks.Select(a => (a.Attacker, a.Mean)), resumed.Attacks.Select(a => (a.Attacker, a.Mean)));
        Assert.Equal(expected.Epochs.Select(e => e.Loss), resumed.Epochs.Select(e => e.Loss));
        Assert.Equal(NpyFile.Read(expected.EmbeddingsPath).Values, NpyFile.Read(resumed.EmbeddingsPath).Values);
    }

    /// <summary>The embedded grid: its client killed mid-training (the silo dies with it), the same
    /// grid started again with the same --out resumes the cell from its checkpoint.</summary>
    [Fact]
    public async Task AnEmbeddedGridKilledMidTrainingResumesWhenRunAgain()
    {
        string[] Grid(string run) => ["grid", "synthetic-small", "--profile", "paper", "--models", "lightgcn", "--methods", "original",
            "--run", run, "--data", _dir, "--out", Path.Combine(_dir, "grid")];
        var runFile = Path.Combine(_dir, "grid", "runs", "first", "grid.json");
        using (var first = ChildProcess.StartBuilt("src/Client", "unlearn.dll", Grid("first")))
        {
            var deadline = DateTime.UtcNow.AddMinutes(5);
            while (!(File.Exists(runFile) && RunCell(runFile) is { } c && c.GetProperty("Phase").GetString() == "train" && c.GetProperty("Position").GetInt32() >= 3))
            {
                Assert.False(first.HasExited, $"the grid exited before the cell's third epoch\n{first.Printed}");
                Assert.True(DateTime.UtcNow < deadline, $"no third epoch within 5 minutes\n{first.Printed}");
                await Task.Delay(100);
            }
            first.Signal("KILL");
            Assert.True(first.WaitForExit(TimeSpan.FromSeconds(10)), $"first did not exit within 10 seconds\n{first.Printed}");
        }
        using var second = ChildProcess.StartBuilt("src/Client", "unlearn.dll", Grid("second"));
        // A hang guard, not a speed target (see Finish).
        Assert.True(second.WaitForExit(TimeSpan.FromMinutes(8)), $"the second grid did not finish within 8 minutes\n{second.Printed}");
        Assert.True(second.ExitCode == 0, $"exit code {second.ExitCode}\n{second.Printed}");
        var cell = RunCell(Path.Combine(_dir, "grid", "runs", "second", "grid.json"))!.Value;
        Assert.Equal("Done", cell.GetProperty("State").GetString());
        Assert.Matches(@"^after epoch ([2-9]|1\d|2[0-4]) of 25", cell.GetProperty("ResumedFrom").GetString());
    }

    private static System.Text.Json.JsonElement? RunCell(string runFile)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(runFile));
            return doc.RootElement.GetProperty("Cells")[0].Clone();
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException) { return null; }
    }

    public void Dispose() => _temp.Dispose();
}
