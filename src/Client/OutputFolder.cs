namespace Unlearning.Client;

/// <summary>Where a command writes, checked before any work: a folder that can be created and
/// written to, or a file whose folder can. Throws <see cref="ArgumentException"/> naming the option,
/// so that a bad --out fails in a second, not after training.</summary>
public static class OutputFolder
{
    /// <summary>Creates the folder if needed and writes and deletes a probe file in it; returns its full path.</summary>
    public static string RequireWritable(string path, string option)
    {
        var full = FullPath(path, option);
        if (File.Exists(full)) throw new ArgumentException($"{option} {path} is a file; it must be a folder (created if missing)");
        try
        {
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, $".write-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new ArgumentException($"{option} {path} is not a folder this program can write to: {e.Message}");
        }
        return full;
    }

    /// <summary>A file to be written: not a folder, and its folder writable; returns its full path.</summary>
    public static string RequireWritableFile(string path, string option)
    {
        var full = FullPath(path, option);
        if (Directory.Exists(full)) throw new ArgumentException($"{option} {path} is a folder; it must name a file");
        RequireWritable(Path.GetDirectoryName(full)!, $"the folder of {option}");
        return full;
    }

    private static string FullPath(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException($"{option} is empty; give a path");
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ArgumentException($"{option} '{path}' is not a path: {e.Message}");
        }
    }
}
