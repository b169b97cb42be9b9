using Unlearning.Experiments;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;

namespace Unlearning.Grains.Tests;

/// <summary>A grid of bad inputs beside a good cell: each bad cell fails alone with an error naming
/// its problem, the good cell's finished result is reused untouched, and the silos keep serving.</summary>
public sealed class BadInputTests(CpuClusterFixture fixture) : IClassFixture<CpuClusterFixture>
{
    private CellSpec Custom(string name) => new(name, "ncf", "original", "tiny", 11);

    private void Dataset(string name, string interactions, string attributes)
    {
        var dir = Path.Combine(fixture.OutDir, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "interactions.csv"), interactions);
        File.WriteAllText(Path.Combine(dir, "attributes.csv"), attributes);
    }

    [Fact]
    public async Task BadCellsFailAloneNamingTheirProblemAndNothingFinishedIsTouched()
    {
        var good = new CellSpec("synthetic-small", "ncf", "original", "tiny", 11);
        var first = await GridGrainTests.RunToEnd(fixture.Cluster, fixture.OutDir, "good-first", good);
        var resultFile = first.Cells.Single().ResultPath!;
        var before = SHA256.HashData(File.ReadAllBytes(resultFile));

        const string attributes = "user,gender\nu1,M\nu2,F\n";
        Dataset("truncated", "user,item\nu1,i1\nu2", attributes);
        Dataset("empty", "", attributes);
        Dataset("semicolons", "user;item\nu1;i1\nu2;i2\n", attributes);
        Dataset("no-gender", "user,item\nu1,i1\nu2,i2\n", "user\nu1\nu2\n");
        Dataset("too-small", "user,item\nu1,i1\nu2,i2\n", attributes);
        var latin1 = Path.Combine(fixture.OutDir, "latin1");
        Dataset("latin1", "user,item\nu1,i1\n", attributes);
        File.WriteAllBytes(Path.Combine(latin1, "interactions.csv"), [.. "user,item\nu1,caf"u8, 0xE9, .. "\n"u8]);

        var expected = new Dictionary<string, string>
        {
            ["truncated"] = "interactions.csv line 3: expected 2 fields",
            ["empty"] = "interactions.csv: file is empty",
            ["semicolons"] = "interactions.csv line 1: expected 2 fields",
            ["no-gender"] = "attributes.csv line 2: expected 2 fields",
            ["too-small"] = "interactions.csv",
            ["latin1"] = "interactions.csv line 2: is not UTF-8 text",
            ["no-such-dataset"] = "no-such-dataset",
        };
        var status = await GridGrainTests.RunToEnd(fixture.Cluster, fixture.OutDir, "bad-inputs", [good, .. expected.Keys.Select(Custom)]);

        var wrong = expected.Select(x => (x.Key, x.Value, Cell: status.Cells.Single(c => c.Cell == Custom(x.Key))))
            .Where(x => x.Cell.State != CellState.Failed || !x.Cell.Error!.Contains(x.Value) || x.Cell.Error.Contains("   at "))
            .Select(x => $"{x.Key}: {x.Cell.State} '{x.Cell.Error}' (expected '{x.Value}')").ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        foreach (var cell in status.Cells.Where(c => c.State == CellState.Failed)) TestContext.Current.TestOutputHelper?.WriteLine($"{cell.Cell.Dataset}: {cell.Error}");
        var reused = status.Cells.Single(c => c.Cell == good);
        Assert.Equal((CellState.Done, true), (reused.State, reused.Reused));
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(resultFile)));
        Assert.All(RunReportWriter.Build(GridRun.From(status)).Markdown().Split('\n').Where(l => l.StartsWith('|')), l => Assert.DoesNotContain("NaN", l));

        // Both silos still serve.
        var after = await GridGrainTests.RunToEnd(fixture.Cluster, fixture.OutDir, "after-bad", good with { Seed = 12 }, good with { Seed = 13 });
        Assert.All(after.Cells, c => Assert.Equal(CellState.Done, c.State));
        Assert.All(fixture.Cluster.Silos, s => Assert.Equal(0, s.ServiceProvider.GetRequiredService<CellExecutor>().Running));
    }

    [Fact]
    public async Task ARunIdCannotBeReusedForOtherCells()
    {
        var grid = fixture.Cluster.Client.GetGrain<IGridGrain>("taken");
        await grid.Start(new GridRequest("taken", [Custom("no-such-dataset")], new GridSettings()));
        var e = await Assert.ThrowsAsync<ArgumentException>(() => grid.Start(new GridRequest("taken", [Custom("other")], new GridSettings())));
        Assert.Contains("run 'taken' already exists with other cells", e.Message);
    }
}
