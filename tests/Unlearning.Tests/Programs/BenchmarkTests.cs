using System.Text.Json;
using Unlearning.Tests.Shared;

namespace Unlearning.Tests.Programs;

/// <summary>The benchmark measures every time it runs: each run computes its cells afresh in a folder
/// of its own, names the commit and machine, and lists a failed cell as failed.</summary>
[Trait("Category", "EndToEnd")]
public sealed class BenchmarkTests : IDisposable
{
    private readonly TempFolder _temp = new("bench-");
    private string _dir => _temp.Path;

    private ChildProcess Bench(params string[] args) => ChildProcess.StartBuilt("bench/Unlearning.Bench", "Unlearning.Bench.dll",
        ["--profile", "tiny", "--models", "ncf", "--methods", "original,u2u", "--results", Path.Combine(_dir, "results"), .. args]);

    /// <param name="minutes">A hang guard, not a speed target: the test assemblies run side by side on CI's 2 cores.</param>
    private static void Finish(ChildProcess bench, int exitCode, int minutes = 3)
    {
        Assert.True(bench.WaitForExit(TimeSpan.FromMinutes(minutes)), $"the benchmark did not finish within {minutes} minutes\n{bench.Printed}");
        Assert.True(bench.ExitCode == exitCode, $"exit code {bench.ExitCode}, expected {exitCode}\n{bench.Errors}");
    }

    private static JsonElement Figures(ChildProcess bench)
    {
        var md = bench.Errors.Split('\n').Last(l => l.StartsWith("figures: ", StringComparison.Ordinal))["figures: ".Length..];
        Assert.Contains("* commit ", File.ReadAllText(md));
        Assert.Contains("* machine ", File.ReadAllText(md));
        return JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(md, ".json"))).RootElement;
    }

    private static IEnumerable<DateTimeOffset> Started(JsonElement figures) =>
        figures.GetProperty("cells").EnumerateArray().Select(c => c.GetProperty("Result").GetProperty("StartedAt").GetDateTimeOffset());

    [Fact]
    public void EveryRunComputesItsCellsAgainAndFailuresAreListed()
    {
        var folders = new List<string>();
        try
        {
            // Without --out each run gets a new folder of its own and computes every cell there.
            using var first = Bench("--dataset", "synthetic-small");
            Finish(first, 0);
            var one = Figures(first);
            folders.Add(one.GetProperty("Output").GetString()!);
            Assert.Contains("2 of 2 cells done", first.Output);
            var firstFinished = one.GetProperty("provenance").GetProperty("FinishedAt").GetDateTimeOffset();

            using var second = Bench("--dataset", "synthetic-small");
            Finish(second, 0);
            var two = Figures(second);
            folders.Add(two.GetProperty("Output").GetString()!);
            Assert.NotEqual(folders[0], folders[1]);
            Assert.All(Started(two), started => Assert.True(started > firstFinished, $"a cell of the second run started at {started}, before the first run ended"));

            using var reused = Bench("--dataset", "synthetic-small", "--out", folders[0]);
            Finish(reused, 2);
            Assert.Contains("is not empty", reused.Errors);
        }
        finally
        {
            foreach (var folder in folders) Directory.Delete(folder, recursive: true);
        }

        using var failing = Bench("--dataset", "no-such-set", "--data", _dir, "--out", Path.Combine(_dir, "failing"));
        Finish(failing, 1);
        Assert.Contains("0 of 2 cells done, 2 FAILED", failing.Output);
        Assert.Contains("| NMF | Original | FAILED: exit code 1: error: DataFormatException: no-such-set", failing.Output);
        Assert.All(Figures(failing).GetProperty("cells").EnumerateArray(), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("Result").ValueKind));
    }

    /// <summary>The scrape benchmark times scrapes of a silo that is training, and writes what it measured.</summary>
    [Fact]
    public void TheScrapeBenchmarkMeasuresABusySilo()
    {
        using var bench = ChildProcess.StartBuilt("bench/Unlearning.Bench", "Unlearning.Bench.dll", ["scrape", "--seconds", "2", "--results", Path.Combine(_dir, "results")]);
        Finish(bench, 0);
        var md = File.ReadAllText(bench.Errors.Split('\n').Last(l => l.StartsWith("figures: ", StringComparison.Ordinal))["figures: ".Length..]);
        var cpu = System.Text.RegularExpressions.Regex.Match(md, @"\| CPU per scrape \| -?[0-9.]+ ms \|");
        Assert.True(cpu.Success, md);
        Assert.Contains("% of the silo's CPU", md);
    }

    /// <summary>The scale benchmark runs each method in a process of its own and reports what it measured.</summary>
    [Fact]
    public void TheScaleBenchmarkMeasuresEachMethod()
    {
        using var bench = ChildProcess.StartBuilt("bench/Unlearning.Bench", "Unlearning.Bench.dll", ["scale", "--dataset", "synthetic-small",
            "--steps", "5", "--models", "ncf", "--methods", "original,d2d", "--setup-users", "50", "--data", _dir, "--results", Path.Combine(_dir, "results")]);
        Finish(bench, 0, minutes: 8);
        var md = File.ReadAllText(bench.Errors.Split('\n').Last(l => l.StartsWith("figures: ", StringComparison.Ordinal))["figures: ".Length..]);
        Assert.Matches(@"\| ncf \| original \| [0-9.]+ \| [0-9]+ \([0-9,]+ steps\) \|  \| [0-9.]+ s \| [0-9.]+ s \| [0-9.]+ GiB \|", md);
        Assert.Matches(@"\| ncf \| d2d \| [0-9.]+ \|  \| [0-9]+ s \(from 50 users\) \| [0-9.]+ s \| [0-9.]+ s \| [0-9.]+ GiB \|", md);
        Assert.DoesNotContain("failed", md);

        using var unknown = ChildProcess.StartBuilt("bench/Unlearning.Bench", "Unlearning.Bench.dll", ["scale", "--methods", "forget"]);
        Finish(unknown, 2);
        Assert.Contains("forget", unknown.Errors);
    }

    public void Dispose() => _temp.Dispose();
}
