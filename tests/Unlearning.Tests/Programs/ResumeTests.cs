using Unlearning.Experiments;
using Unlearning.Tests.Shared;

namespace Unlearning.Tests.Programs;

/// <summary>A <c>cell</c> process killed (SIGKILL) in the middle of training, started again with the
/// same --out, continues from its last epoch, says so, and ends with an undisturbed run's numbers.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ResumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("resume-").FullName;

    private ChildProcess Cell(string output) => ChildProcess.StartBuilt("src/Client", "unlearn.dll",
        ["cell", "--dataset", "synthetic-small", "--model", "ncf", "--method", "original", "--profile", "paper", "--seed", "4",
         "--device", "cpu", "--data", _dir, "--out", Path.Combine(_dir, output)]);

    private static CellResult Finish(ChildProcess p)
    {
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(3)), "the cell did not finish");
        Assert.True(p.ExitCode == 0, $"exit code {p.ExitCode}\n{p.Errors}");
        return CellResult.Load(p.Output.Split('\n').Last(l => l.StartsWith("result: ", StringComparison.Ordinal))["result: ".Length..]);
    }

    [Fact]
    public async Task ACellKilledMidTrainingContinuesFromItsLastEpoch()
    {
        using var undisturbed = Cell("undisturbed");
        using (var killed = Cell("resumed"))
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!killed.Errors.Contains("epoch 3:"))
            {
                Assert.True(DateTime.UtcNow < deadline, $"no third epoch within 2 minutes:\n{killed.Errors}");
                await Task.Delay(20);
            }
            killed.Signal("KILL");
            Assert.True(killed.WaitForExit(TimeSpan.FromSeconds(10)));
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

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
