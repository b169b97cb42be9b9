using Unlearning.Tests.Shared;

namespace Unlearning.Tests.Programs;

/// <summary>--set and --config on the command line: a cell runs with the changed numbers and says
/// so; a bad key or value stops the command before any work, naming it.</summary>
[Trait("Category", "EndToEnd")]
public sealed class SettingsCommandTests : IDisposable
{
    private readonly TempFolder _temp = new("settings-cli-");
    private string _dir => _temp.Path;

    private static ChildProcess Client(params string[] args) => ChildProcess.RunClient(TimeSpan.FromMinutes(4), args);

    [Fact]
    public void ACellRunsWithTheChangedNumbersAndSaysSo()
    {
        var file = Path.Combine(_dir, "exp.json");
        File.WriteAllText(file, """{ "training.epochs": 3, "ncf.gmf_dim": 8 }""");
        using var cell = Client("cell", "--dataset", "synthetic-small", "--model", "ncf", "--method", "original", "--profile", "tiny",
            "--config", file, "--set", "training.epochs=1", "--device", "cpu", "--data", _dir, "--out", _dir);
        Assert.True(cell.ExitCode == 0, cell.Printed);
        Assert.Contains("(profile tiny;ncf.gmf_dim=8;training.epochs=1, deviates from the paper's protocol", cell.Output);
        Assert.Contains("ncf.gmf_dim=8 (paper 32)", cell.Output);
        Assert.Contains("training.epochs=1 (paper 25)", cell.Output);
        var result = Unlearning.Experiments.CellResult.Load(cell.Output.Split('\n').Last(l => l.StartsWith("result: ", StringComparison.Ordinal))["result: ".Length..]);
        Assert.Single(result.Epochs);
        Assert.Equal("tiny;ncf.gmf_dim=8;training.epochs=1", result.Cell.Profile);
    }

    [Fact]
    public void BadSettingsStopTheCommandNamingThem()
    {
        using var cell = Client("cell", "--dataset", "synthetic-small", "--model", "ncf", "--method", "original", "--profile", "tiny",
            "--set", "training.epoch=3", "--data", _dir, "--out", _dir);
        Assert.Equal(2, cell.ExitCode);
        Assert.Contains("error: unknown setting 'training.epoch' (valid: ", cell.Errors);
        Assert.Contains("training.epochs", cell.Errors);
        Assert.DoesNotContain("synthetic-small:", cell.Errors);

        using var grid = Client("grid", "synthetic-small", "--profile", "tiny", "--set", "unlearning.steps=0", "--plan", "--data", _dir, "--out", _dir);
        Assert.Equal(2, grid.ExitCode);
        Assert.Contains("error: setting unlearning.steps needs a whole number of at least 1, not '0'", grid.Errors);

        using var target = Client("cell", "--dataset", "synthetic-small", "--model", "ncf", "--method", "d2d", "--profile", "tiny",
            "--set", "unlearning.target=both", "--data", _dir, "--out", _dir);
        Assert.Equal(2, target.ExitCode);
        Assert.Contains("error: setting unlearning.target needs one of attacked, full, not 'both'", target.Errors);

        using var missing = Client("grid", "synthetic-small", "--config", Path.Combine(_dir, "none.json"), "--plan", "--data", _dir, "--out", _dir);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("none.json not found", missing.Errors);
    }

    public void Dispose() => _temp.Dispose();
}
