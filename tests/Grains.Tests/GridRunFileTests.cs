using Unlearning.Experiments;
using Unlearning.Tests.Shared;
namespace Unlearning.Grains.Tests;

public sealed class GridRunFileTests
{
    /// <summary>A result inside OUT is stored relative to the run's folder (a moved OUT still finds
    /// it); one elsewhere (a cluster's store) as the silo gave it.</summary>
    [Fact]
    public void ResultPathsInsideOutAreKeptRelativeToTheRun()
    {
        using var temp = new TempFolder("run-file-");
        var outDir = temp.Path;
        var inside = Path.Combine(outDir, "cells", "ab", new string('a', 64), "result.json");
        var key = new CellSpec("ml-100k", "ncf", "original", "paper", 2023);
        var status = new GridStatus("rel", [new CellStatus(key, CellState.Done, ResultPath: inside), new CellStatus(key with { Seed = 1 }, CellState.Done, ResultPath: "/mnt/artifacts/cells/x/result.json")],
            DateTimeOffset.Now, DateTimeOffset.Now);
        // A folder given with a trailing separator (as tab completion writes it) is the same folder.
        GridRun.Save(outDir + Path.DirectorySeparatorChar, status);
        var run = GridRun.Load(outDir, "rel");
        Assert.Equal(Path.Combine("..", "..", "cells", "ab", new string('a', 64), "result.json"), run.Cells[0].ResultPath);
        Assert.Equal("/mnt/artifacts/cells/x/result.json", run.Cells[1].ResultPath);
        Assert.Equal(inside, GridRun.ResultPathOf(run.Cells[0], GridRun.Directory(outDir, "rel")));
        Assert.Equal("/mnt/artifacts/cells/x/result.json", GridRun.ResultPathOf(run.Cells[1], GridRun.Directory(outDir, "rel")));
    }
}
