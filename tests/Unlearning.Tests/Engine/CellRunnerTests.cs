using Unlearning.Data;
using Unlearning.Experiments;
using Unlearning.Reporting;

namespace Unlearning.Tests.Engine;

/// <summary>End-to-end cells on the synthetic-small dataset with the tiny profile.</summary>
public class CellRunnerTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), $"cells-{Guid.NewGuid():N}");

    private CellRunner Runner(List<string>? log = null) =>
        new(new EngineSettings { DataDir = _out, OutDir = _out, Device = "cpu" }, log: m => log?.Add(m));

    [Fact]
    public void D2DCellTrainsTheOriginalFirstWritesArtifactsAndReusesIt()
    {
        var log = new List<string>();
        var runner = Runner(log);
        var d2d = runner.Run(new CellSpec("synthetic-small", "ncf", "d2d", "tiny", 7));

        Assert.False(d2d.OriginalReused);
        Assert.NotNull(d2d.OriginalConfigHash);
        Assert.True(File.Exists(d2d.ModelPath));
        var (values, rows, cols) = NpyFile.Read(d2d.EmbeddingsPath);
        Assert.Equal((d2d.DatasetSummary.Users, 32), (rows, cols));
        Assert.Equal(rows * cols, values.Length);
        Assert.Equal(["MLP", "Tree"], d2d.Attacks.Select(a => a.Attacker));
        Assert.All(d2d.Attacks, a => Assert.InRange(a.Mean.Auc, 0, 1));
        Assert.Equal([10, 20], d2d.UnlearningCheckpoints.Select(c => c.Step));
        Assert.Equal("step", d2d.Timing.Unit);
        Assert.True(d2d.Timing.MethodSeconds > 0);
        Assert.InRange(d2d.Metric("hr@10"), 0, 1);
        Assert.True(d2d.ProfileDeviatesFromPaper);

        var stored = CellResult.Load(d2d.ResultPath);
        Assert.Equal(d2d.ConfigHash, stored.ConfigHash);
        Assert.Equal(d2d.Metric("ndcg@10"), stored.Metric("ndcg@10"));

        // u2u of the same dataset and model reuses the stored original.
        var u2u = runner.Run(new CellSpec("synthetic-small", "ncf", "u2u", "tiny", 7));
        Assert.True(u2u.OriginalReused);
        Assert.Equal(d2d.OriginalConfigHash, u2u.OriginalConfigHash);

        var report = CellReport.Render(u2u);
        Assert.Contains("U2U-R", report);
        Assert.Contains("deviates", report);
    }

    [Fact]
    public void SameSeedGivesTheSameNumbersAndAnotherSeedDoesNot()
    {
        var a = Runner().Run(new CellSpec("synthetic-small", "lightgcn", "original", "tiny", 3));
        var again = new CellRunner(new EngineSettings { DataDir = _out, OutDir = Path.Combine(_out, "second"), Device = "cpu" })
            .Run(new CellSpec("synthetic-small", "lightgcn", "original", "tiny", 3));
        var other = Runner().Run(new CellSpec("synthetic-small", "lightgcn", "original", "tiny", 4));
        Assert.Equal(a.Recommendation, again.Recommendation);
        Assert.Equal(a.Attacks.Select(x => x.Mean), again.Attacks.Select(x => x.Mean));
        Assert.Equal(a.ConfigHash, again.ConfigHash);
        Assert.NotEqual(a.ConfigHash, other.ConfigHash);
        Assert.NotEqual(a.Epochs.Select(e => e.Loss), other.Epochs.Select(e => e.Loss));
    }

    [Fact]
    public void ConfigHashChangesWithTheEngineRevision()
    {
        var spec = new CellSpec("synthetic-small", "ncf", "retrain", "tiny", 1);
        var profile = ExperimentProfile.Get("tiny");
        Assert.Equal(CellRunner.ConfigHash(spec, profile, "data"), CellRunner.ConfigHash(spec, profile, "data", CellRunner.EngineRevision));
        Assert.NotEqual(CellRunner.ConfigHash(spec, profile, "data"), CellRunner.ConfigHash(spec, profile, "data", CellRunner.EngineRevision - 1));
    }

    [Fact]
    public void ReuseFinishedReturnsTheStoredResult()
    {
        var runner = Runner();
        var first = runner.Run(new CellSpec("synthetic-small", "ncf", "retrain", "tiny", 1));
        var second = runner.Run(new CellSpec("synthetic-small", "ncf", "retrain", "tiny", 1), reuseFinished: true);
        Assert.Equal(first.FinishedAt, second.FinishedAt);
    }

    [Theory]
    [InlineData("ncf", "adv")]
    [InlineData("lightgcn", "u2u")]
    public void EveryMethodRunsForBothModels(string model, string method)
    {
        var result = Runner().Run(new CellSpec("synthetic-small", model, method, "tiny", 2));
        Assert.Equal(model == "ncf" ? 32 : 64, NpyFile.Read(result.EmbeddingsPath).Cols);
        Assert.Equal(2, result.Attacks.Count);
    }

    [Fact]
    public void BadCellNamesGiveClearErrors()
    {
        var e = Assert.Throws<ArgumentException>(() => Runner().Run(new CellSpec("synthetic-small", "svd", "d2d", "tiny")));
        Assert.Contains("'svd'", e.Message);
        e = Assert.Throws<ArgumentException>(() => Runner().Run(new CellSpec("synthetic-small", "ncf", "forget", "tiny")));
        Assert.Contains("'forget'", e.Message);
    }

    [Fact]
    public void MissingDatasetFilesNameThePath()
    {
        var e = Assert.ThrowsAny<Exception>(() => Runner().Run(new CellSpec("ml-1m", "ncf", "original", "tiny")));
        Assert.Contains("ml-1m", e.Message);
        Assert.True(e is DataFormatException or FileNotFoundException or DirectoryNotFoundException, e.GetType().Name);
    }

    public void Dispose()
    {
        if (Directory.Exists(_out)) Directory.Delete(_out, recursive: true);
    }
}
