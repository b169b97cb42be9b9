using System.Text.Json;
using System.Text.Json.Serialization;

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

    public static string Directory(string outDir, string runId) => Path.Combine(outDir, "runs", Unlearning.Storage.SafeName.Check(runId, "run id"));

    /// <summary>Writes OUT/runs/&lt;run&gt;/grid.json atomically; returns its path.</summary>
    public static string Save(string outDir, GridStatus status)
    {
        var dir = Directory(outDir, status.RunId);
        System.IO.Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "grid.json");
        var temp = path + ".tmp";
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outDir)) + Path.DirectorySeparatorChar;
        var run = From(status) with
        {
            Cells = status.Cells.Select(c => c.ResultPath is { } p && Path.IsPathFullyQualified(p) && p.StartsWith(root, StringComparison.Ordinal)
                ? c with { ResultPath = Path.GetRelativePath(dir, p) } : c).ToList(),
        };
        File.WriteAllText(temp, JsonSerializer.Serialize(run, Json));
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>A run id names one set of cells: a run file under OUT with other cells is refused before
    /// anything starts (the run would overwrite its file and report), with the grid grain's rule; with
    /// the same cells the run continues and reuses what finished.</summary>
    public static void RequireNewOrSame(string outDir, string runId, IReadOnlyList<CellKey> cells)
    {
        var path = Path.Combine(Directory(outDir, runId), "grid.json");
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

    /// <summary>Where a cell's result.json is for a run file in <paramref name="runDirectory"/>: a
    /// relative path resolved against it, an absolute one as it is; null when the cell has none.</summary>
    public static string? ResultPathOf(CellStatus cell, string runDirectory) =>
        cell.ResultPath is { } p ? Path.GetFullPath(p, runDirectory) : null;

    public static GridRun From(GridStatus status) => new(status.RunId, status.StartedAt, status.FinishedAt, status.Cells.ToList());

    public static GridRun Load(string outDir, string runId)
    {
        var path = Path.Combine(Directory(outDir, runId), "grid.json");
        if (!File.Exists(path)) throw new FileNotFoundException($"no run '{runId}': {path} does not exist", path);
        try
        {
            return JsonSerializer.Deserialize<GridRun>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path}: empty run file");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a run file this version can read ({e.Message})", e);
        }
    }
}
