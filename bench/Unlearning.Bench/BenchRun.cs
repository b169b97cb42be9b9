using System.Text.Json;
using Unlearning.Experiments;

namespace Unlearning.Bench;

/// <summary>A benchmark run's figures file (the .json beside its .md).</summary>
public sealed record BenchRun(Provenance Provenance, string Output, List<BenchOutcome> Cells)
{
    public static BenchRun Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<BenchRun>(File.ReadAllText(path), new JsonSerializerOptions(CellResult.Json) { PropertyNameCaseInsensitive = true })
                   ?? throw new InvalidDataException($"{path}: empty figures file");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a benchmark figures file ({e.Message})", e);
        }
    }
}
