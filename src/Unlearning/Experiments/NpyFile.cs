using System.Runtime.InteropServices;
using System.Text;

namespace Unlearning.Experiments;

/// <summary>Reads and writes 2-D float32 matrices in NumPy's .npy format (version 1.0).</summary>
public static class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];

    public static void Write(string path, float[] values, int rows, int cols)
    {
        if ((long)rows * cols != values.Length)
            throw new ArgumentException($"matrix {rows}x{cols} does not hold {values.Length} values");
        var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {cols}), }}";
        int unpadded = Magic.Length + 2 + header.Length + 1;
        header += new string(' ', (64 - unpadded % 64) % 64) + "\n";
        using var stream = File.Create(path);
        stream.Write(Magic);
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    public static (float[] Values, int Rows, int Cols) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic.AsSpan(0, 6)))
            throw new InvalidDataException($"{path}: not a .npy file");
        int headerLength = BitConverter.ToUInt16(bytes, 8);
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        if (!header.Contains("'<f4'") || header.Contains("'fortran_order': True"))
            throw new InvalidDataException($"{path}: expected a C-order float32 matrix, header {header.Trim()}");
        var shape = header[(header.IndexOf('(') + 1)..header.IndexOf(')')].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int rows = int.Parse(shape[0]), cols = shape.Length > 1 ? int.Parse(shape[1]) : 1;
        var values = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(10 + headerLength)).ToArray();
        if (values.Length != rows * cols)
            throw new InvalidDataException($"{path}: shape ({rows}, {cols}) but {values.Length} values");
        return (values, rows, cols);
    }
}
