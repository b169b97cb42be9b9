using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Unlearning.Data;

/// <summary>
/// Binary cache of prepared datasets at <c>cacheDir/&lt;dataset&gt;-&lt;key&gt;.bin</c>. The key is
/// a SHA-256 over the raw files' bytes and every setting; the file ends with a SHA-256 of its
/// content, so a truncated or damaged file is detected, ignored and rebuilt.
/// </summary>
internal static class DatasetCache
{
    private const string Magic = "UNLDATA";
    // Bump when preprocessing changes what it produces: content hashes, hence every cell's config
    // hash, then change and stored results are computed again.
    private const int PreprocessingVersion = 1;
    // Bump when this file's layout changes: old cache files are then prepared again, hashes stay.
    // 2: the validation split's arrays.
    private const int FormatVersion = 2;

    public static string ComputeKey(string format, IEnumerable<string> files, string settings)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"unlearning-data v{PreprocessingVersion}\nformat={format}\n{settings}\n"));
        var buffer = new byte[1 << 20];
        foreach (var file in files)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            sha.AppendData(Encoding.UTF8.GetBytes($"file={Path.GetFileName(file)};length={stream.Length}\n"));
            int read;
            while ((read = stream.Read(buffer)) > 0) sha.AppendData(buffer, 0, read);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    public static string PathFor(string cacheDir, string dataset, string key)
    {
        var safe = string.Concat(dataset.Select(c => Path.GetInvalidFileNameChars().Contains(c) ? '_' : c));
        return Path.Combine(cacheDir, $"{safe}-{key}.bin");
    }

    /// <summary>The cached dataset, or null (with the reason) when absent, damaged or for another key.</summary>
    public static PreparedDataset? TryRead(string path, string expectedKey, out string? problem)
    {
        problem = null;
        if (!File.Exists(path)) return null;
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < 64) return Fail("too short", out problem);
            var body = bytes.AsSpan(0, bytes.Length - 32);
            if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
                return Fail("checksum mismatch", out problem);

            using var reader = new BinaryReader(new MemoryStream(bytes, 0, body.Length, writable: false), Encoding.UTF8);
            if (reader.ReadString() != Magic || reader.ReadInt32() != FormatVersion) return Fail("unknown format", out problem);
            var name = reader.ReadString();
            var key = reader.ReadString();
            if (key != expectedKey) return Fail("different key", out problem);
            int numUsers = reader.ReadInt32(), numItems = reader.ReadInt32();
            var offsets = ReadInts(reader);
            var trainItems = ReadInts(reader);
            var testItems = ReadInts(reader);
            var candidates = ReadInts(reader);
            var userGroup = ReadInts(reader);
            var groupValues = new string[reader.ReadInt32()];
            for (int g = 0; g < groupValues.Length; g++) groupValues[g] = reader.ReadString();
            var validationItems = ReadInts(reader);
            var validationCandidates = ReadInts(reader);
            if (validationItems.Length != 0 && (validationItems.Length != numUsers || validationCandidates.Length != candidates.Length))
                return Fail("inconsistent validation lengths", out problem);
            if (offsets.Length != numUsers + 1 || offsets[^1] != trainItems.Length || testItems.Length != numUsers ||
                candidates.Length != numUsers * PreparedDataset.CandidatesPerUser || userGroup.Length != numUsers)
                return Fail("inconsistent lengths", out problem);
            return new PreparedDataset
            {
                Name = name,
                NumUsers = numUsers,
                NumItems = numItems,
                TrainOffsets = offsets,
                TrainItems = trainItems,
                TestItems = testItems,
                TestCandidates = candidates,
                ValidationItems = validationItems.Length == 0 ? null : validationItems,
                ValidationCandidates = validationItems.Length == 0 ? null : validationCandidates,
                UserGroup = userGroup,
                GroupValues = groupValues,
                ContentHash = key,
            };
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or FormatException or ArgumentException or UnauthorizedAccessException)
        {
            problem = e.Message;
            return null;
        }
    }

    /// <summary>Writes atomically (temporary file, then rename), so readers never see half a file.</summary>
    public static void Write(string path, PreparedDataset data)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(data.Name);
            writer.Write(data.ContentHash);
            writer.Write(data.NumUsers);
            writer.Write(data.NumItems);
            WriteInts(writer, data.TrainOffsets);
            WriteInts(writer, data.TrainItems);
            WriteInts(writer, data.TestItems);
            WriteInts(writer, data.TestCandidates);
            WriteInts(writer, data.UserGroup);
            writer.Write(data.GroupValues.Length);
            foreach (var v in data.GroupValues) writer.Write(v);
            WriteInts(writer, data.ValidationItems ?? []);
            WriteInts(writer, data.ValidationCandidates ?? []);
        }
        var body = stream.GetBuffer().AsSpan(0, (int)stream.Length);
        var checksum = SHA256.HashData(body);
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            file.Write(body);
            file.Write(checksum);
        }
        File.Move(temp, path, overwrite: true);
    }

    private static void WriteInts(BinaryWriter writer, int[] values)
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static int[] ReadInts(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        if (length < 0 || (long)length * sizeof(int) > reader.BaseStream.Length - reader.BaseStream.Position)
            throw new FormatException($"bad array length {length}");
        var values = new int[length];
        if (reader.Read(MemoryMarshal.AsBytes(values.AsSpan())) != length * sizeof(int))
            throw new EndOfStreamException();
        return values;
    }

    private static PreparedDataset? Fail(string reason, out string? problem)
    {
        problem = reason;
        return null;
    }
}
