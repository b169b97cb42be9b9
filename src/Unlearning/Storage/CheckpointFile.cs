using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Unlearning.Storage;

/// <summary>
/// A checkpoint on disk: a JSON header (counters, histories, metrics) and a list of float32 arrays
/// (parameters, optimiser moments), in one file: "ULCKPT1\n", the header's length and bytes, the
/// number of arrays, then each array's length and raw little-endian values.
/// </summary>
public static class CheckpointFile
{
    private static readonly byte[] Magic = "ULCKPT1\n"u8.ToArray();

    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Write<THeader>(string path, THeader header, IReadOnlyList<float[]> arrays)
    {
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream, Encoding.UTF8);
        writer.Write(Magic);
        var json = JsonSerializer.SerializeToUtf8Bytes(header, Json);
        writer.Write(json.Length);
        writer.Write(json);
        writer.Write(arrays.Count);
        foreach (var a in arrays)
        {
            writer.Write(a.LongLength);
            writer.Write(MemoryMarshal.AsBytes(a.AsSpan()));
        }
    }

    public static (THeader Header, float[][] Arrays) Read<THeader>(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
                throw new InvalidDataException($"{path}: not a checkpoint");
            var header = JsonSerializer.Deserialize<THeader>(reader.ReadBytes(reader.ReadInt32()), Json)
                ?? throw new InvalidDataException($"{path}: empty checkpoint header");
            var arrays = new float[reader.ReadInt32()][];
            for (int i = 0; i < arrays.Length; i++)
            {
                var values = new float[reader.ReadInt64()];
                stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
                arrays[i] = values;
            }
            return (header, arrays);
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException)
        {
            throw new InvalidDataException($"{path}: truncated or unreadable checkpoint ({e.Message})", e);
        }
    }
}
