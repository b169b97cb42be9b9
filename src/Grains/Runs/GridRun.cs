using Unlearning.Experiments;
using System.Text.Json;
using System.Text.Json.Serialization;
using Unlearning.Storage;

namespace Unlearning.Grains;

/// <summary>The run file OutDir/runs/&lt;run&gt;/grid.json: every cell's final or last known status. A
/// result path inside OutDir (an embedded grid's store) is kept relative to the run's folder, so that
/// a moved or copied OutDir still finds its cells (<see cref="ResultPathOf"/>); a cluster store's path
/// is kept as the silos gave it.</summary>
public sealed record GridRun(string RunId, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, List<CellStatus> Cells)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Directory(string outDir, string runId) => Path.Combine(outDir, "runs", SafeName.Check(runId, "run id"));

    private static string FileOf(string outDir, string runId) => Path.Combine(Directory(outDir, runId), "grid.json");

    /// <summary>Writes OUT/runs/&lt;run&gt;/grid.json atomically.</summary>
    /// <returns>The run as written, as <see cref="Load"/> would read it back.</returns>
    public static GridRun Save(string outDir, GridStatus status)
    {
        var dir = Directory(outDir, status.RunId);
        System.IO.Directory.CreateDirectory(dir);
        var path = FileOf(outDir, status.RunId);
        var temp = path + ".tmp";
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outDir)) + Path.DirectorySeparatorChar;
        var run = new GridRun(status.RunId, status.StartedAt, status.FinishedAt,
            status.Cells.Select(c => c.ResultPath is { } p && Path.IsPathFullyQualified(p) && p.StartsWith(root, StringComparison.Ordinal)
                ? c with { ResultPath = Path.GetRelativePath(dir, p) } : c).ToList());
        // Streamed, not built as one string: a 10,000-cell run file is megabytes, written every few seconds by a watching client.
        using (var stream = File.Create(temp)) JsonSerializer.Serialize(stream, run, Json);
        File.Move(temp, path, overwrite: true);
        return run;
    }

    /// <summary>A run id names one set of cells: a run file under OUT with other cells is refused before
    /// anything starts (the run would overwrite its file and report), with the grid grain's rule; with
    /// the same cells the run continues and reuses what finished.</summary>
    public static void RequireNewOrSame(string outDir, string runId, IReadOnlyList<CellSpec> cells)
    {
        var path = FileOf(outDir, runId);
        if (!File.Exists(path)) return;
        GridRun existing;
        try
        {
            existing = Load(outDir, runId);
        }
        catch (InvalidDataException e)
        {
            throw new ArgumentException($"run '{runId}' already exists ({e.Message}); choose another --run");
        }
        GridPlan.RequireSameCells(runId, existing.Cells.Select(c => c.Cell).ToList(), cells,
            $"its run file is {path}; choose another --run, or delete that folder to start it afresh");
    }

    /// <summary>Where a cell's result.json is for a run file in <paramref name="runDirectory"/>: as
    /// recorded (a relative path resolved against that folder, an absolute one as it is), or, where
    /// nothing is there (a store mounted elsewhere), the same cell's in the store of the OUT holding the
    /// run; null when the cell has none.</summary>
    public static string? ResultPathOf(CellStatus cell, string runDirectory)
    {
        if (cell.ResultPath is not { } p) return null;
        var recorded = Path.GetFullPath(p, runDirectory);
        if (File.Exists(recorded)) return recorded;
        var hash = Path.GetFileName(Path.GetDirectoryName(recorded)) ?? "";
        try
        {
            // The run's folder is OUT/runs/<run> (Directory); the store is OUT's.
            var here = new DirectoryArtifactStore(Path.Combine(runDirectory, "..", "..")).PathOf(hash, ArtifactNames.Result);
            return File.Exists(here) ? here : recorded;
        }
        catch (ArgumentException)
        {
            return recorded; // not a config hash: nothing to look up
        }
    }

    public static GridRun From(GridStatus status) => new(status.RunId, status.StartedAt, status.FinishedAt, status.Cells.ToList());

    public static GridRun Load(string outDir, string runId)
    {
        var path = FileOf(outDir, runId);
        if (!File.Exists(path)) throw new FileNotFoundException($"no run '{runId}': {path} does not exist", path);
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<GridRun>(stream, Json)
                ?? throw new InvalidDataException($"{path}: empty run file");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a run file this version can read ({e.Message})", e);
        }
    }
}
