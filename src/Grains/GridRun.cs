using System.Text.Json;
using System.Text.Json.Serialization;

namespace Unlearning.Grains;

/// <summary>The run file OutDir/runs/&lt;run&gt;/grid.json: every cell's final or last known status.</summary>
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
        File.WriteAllText(temp, JsonSerializer.Serialize(From(status), Json));
        File.Move(temp, path, overwrite: true);
        return path;
    }

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

/// <summary>The grain storage provider name for cell and grid state.</summary>
public static class GridStorage
{
    public const string Name = "grid";
}
