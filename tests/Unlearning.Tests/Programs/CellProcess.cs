using Unlearning.Experiments;
using Unlearning.Tests.Shared;

namespace Unlearning.Tests.Programs;

/// <summary>A tiny cell of synthetic-small run by the command line in a process of its own.</summary>
internal static class CellProcess
{
    public static ChildProcess Start(string model, string method, int seed, string data, string output, IReadOnlyDictionary<string, string>? env = null,
        string profile = "tiny") =>
        ChildProcess.StartBuilt("src/Client", "unlearn.dll",
            ["cell", "--dataset", "synthetic-small", "--model", model, "--method", method, "--profile", profile, "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--device", "cpu", "--data", data, "--out", output], env);

    /// <summary>Waits for the cell (a hang guard, not a speed target) and loads the result it printed.</summary>
    public static CellResult Result(ChildProcess cell, string what, int minutes)
    {
        using (cell)
        {
            Assert.True(cell.WaitForExit(TimeSpan.FromMinutes(minutes)), $"{what} did not finish within {minutes} minutes\n{cell.Printed}");
            Assert.True(cell.ExitCode == 0, $"{what}: exit code {cell.ExitCode}\n{cell.Errors}");
            var path = cell.Output.Split('\n').Last(l => l.StartsWith("result: ", StringComparison.Ordinal))["result: ".Length..];
            return CellResult.Load(path);
        }
    }
}
