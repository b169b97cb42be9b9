using Unlearning.Data;
using Unlearning.Tests.Shared;

namespace Unlearning.Tests.Programs;

/// <summary>bench/gpu/run.sh, rehearsed on the CPU with the framework-dependent build in place of the
/// published one: every step but loading CUDA. Where CUDA is asked for and none is usable, it stops
/// at once and says which library is missing.</summary>
[Trait("Category", "EndToEnd")]
public sealed class DeviceBenchmarkTests : IDisposable
{
    private readonly TempFolder _temp = new("gpu-bench-");
    private string _dir => _temp.Path;
    private static readonly string Script = Path.Combine(RepoPaths.RepoRoot!, "bench", "gpu", "run.sh");

    private ChildProcess Run(IReadOnlyDictionary<string, string>? env, params string[] args) => ChildProcess.Start("bash", [Script, .. args], env);

    private string[] Rehearsal(string results, string reference) =>
    [
        "--device", "cpu", "--app", $"dotnet {ChildProcess.Built("bench/Unlearning.Bench", "Unlearning.Bench.dll")}",
        "--dataset", "synthetic-small", "--profile", "tiny", "--lfm-dataset", "synthetic-small", "--models", "ncf",
        "--retrain-epochs", "1", "--lfm-train-steps", "5", "--lfm-unlearn-steps", "5",
        "--data", _dir, "--results", Path.Combine(_dir, results), "--reference", reference,
    ];

    private static void Finish(ChildProcess run, int exitCode, int minutes)
    {
        Assert.True(run.WaitForExit(TimeSpan.FromMinutes(minutes)), $"run.sh did not finish within {minutes} minutes\n{run.Printed}");
        Assert.True(run.ExitCode == exitCode, $"exit code {run.ExitCode}, expected {exitCode}\n{run.Printed}");
    }

    [Fact]
    public void TheDeviceBenchmarkRunsOnTheCpuUpToCuda()
    {
        using var first = Run(null, Rehearsal("first", Path.Combine(_dir, "no-reference.json")));
        Finish(first, 0, minutes: 12);
        Assert.Contains("no CPU reference", first.Errors);
        var cells = Directory.GetFiles(Path.Combine(_dir, "first"), "synthetic*.md").Single();
        var cellFigures = File.ReadAllText(cells);
        Assert.Contains("5 of 5 cells done", cellFigures);
        Assert.Contains("device cpu; retrain and adv 1 epochs", cellFigures);
        Assert.Contains("(profile tiny;training.epochs=1, deviates from the paper's protocol", cellFigures);
        Assert.Contains("Differs from the paper: attack.folds=3 (paper 5); attack.repeats=1 (paper 3); ", cellFigures);
        Assert.Contains("; training.epochs=1 (paper 25); ", cellFigures);
        var scale = File.ReadAllText(Directory.GetFiles(Path.Combine(_dir, "first"), "scale-*.md").Single());
        Assert.Matches(@"\| ncf \| retrain \| [0-9.]+ \| [0-9]+ \([0-9,]+ steps\) \|  \| [0-9.]+ s \| skipped \|", scale);
        Assert.Matches(@"\| ncf \| d2d \| [0-9.]+ \|  \| [0-9]+ s \(from [0-9,]+ users\) \| [0-9.]+ s \| skipped \|", scale);

        // The same cells again, beside the first run's: the CPU is deterministic, so nothing differs.
        using var second = Run(null, [.. Rehearsal("second", Path.ChangeExtension(cells, ".json")), "--skip-lfm"]);
        Finish(second, 0, minutes: 8);
        var beside = File.ReadAllText(Path.Combine(_dir, "second", "beside-cpu.md"));
        Assert.Matches(@"\| NMF \| D2D-R \| tiny \| [0-9.]+ per step \| [0-9.]+ \| [0-9.]+ x \|", beside);
        Assert.Matches(@"\| NMF \| Retrain \| tiny;training.epochs=1 \| [0-9.]+ per epoch \|", beside);
        Assert.Matches(@"\| NMF \| U2U-R \| HR@10 \| [0-9.]+ \| [0-9.]+ \| \+0\.0000 \|", beside);
        // 5 cells x (4 Table 1 values + 2 attackers x 2 values).
        Assert.Contains("40 values compared, 0 beyond 0.01.", beside);
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "second"), "scale-*.md"));

        // A reference that differs by 0.02 in one value: that value, and only it, is marked.
        var figures = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(cells, ".json")))!;
        var recommendation = figures["cells"]![0]!["Result"]!["Recommendation"]!;
        recommendation["hr@10"] = recommendation["hr@10"]!.GetValue<double>() + 0.02;
        var shifted = Path.Combine(_dir, "shifted.json");
        File.WriteAllText(shifted, figures.ToJsonString());
        var secondFigures = Directory.GetFiles(Path.Combine(_dir, "second"), "synthetic*.json").Single();
        using var compare = ChildProcess.StartBuilt("bench/Unlearning.Bench", "Unlearning.Bench.dll", ["compare", secondFigures, shifted]);
        Finish(compare, 0, minutes: 1);
        Assert.Contains("40 values compared, 1 beyond 0.01.", compare.Output);
        Assert.Matches(@"\| NMF \| Original \| HR@10 \| [0-9.]+ \| [0-9.]+ \| \*\*-0\.0200\*\* \|", compare.Output);
        Assert.Contains("1 values differ by more than 0.01", compare.Errors);
    }

    [Fact]
    public void AskingForCudaWithoutAUsableOneStopsAtOnceNamingTheLibrary()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_dir, "no-libtorch"));
        using (var run = Run(new Dictionary<string, string> { ["UNLEARN_LIBTORCH"] = empty.FullName }, "--app", "true", "--results", Path.Combine(_dir, "r1")))
        {
            Finish(run, 2, minutes: 1);
            Assert.Contains($"UNLEARN_LIBTORCH={empty.FullName} has none", run.Errors);
            Assert.Contains("libtorch_cuda.so", run.Errors);
        }

        // Without a published build the script says how to make one.
        using (var run = Run(null, "--app", Path.Combine(_dir, "publish", "Unlearning.Bench"), "--results", Path.Combine(_dir, "r2")))
        {
            Finish(run, 2, minutes: 1);
            Assert.Contains("bench/gpu/build.sh", run.Errors);
        }

        // The benchmark itself, asked for CUDA by a build whose libtorch has none, stops before its first cell.
        using (var bench = ChildProcess.StartBuilt("bench/Unlearning.Bench", "Unlearning.Bench.dll",
                   ["--device", "cuda", "--dataset", "synthetic-small", "--profile", "tiny", "--results", Path.Combine(_dir, "r3")],
                   new Dictionary<string, string> { ["UNLEARN_LIBTORCH"] = "" }))
        {
            Finish(bench, 2, minutes: 2);
            Assert.Contains("error: device 'cuda' was requested but CUDA is not usable", bench.Errors);
            Assert.Contains("UNLEARN_LIBTORCH", bench.Errors);
            Assert.DoesNotContain("==", bench.Errors);
        }
    }

    public void Dispose() => _temp.Dispose();
}
