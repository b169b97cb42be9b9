using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Unlearning.Storage;

/// <summary>
/// An artifact store in a directory that every silo mounts (a ReadWriteMany volume, NFS, or the
/// local disk of a single machine): ROOT/cells/&lt;key&gt;/&lt;name&gt; with a sha256sum-compatible
/// sidecar &lt;name&gt;.sha256 beside it. A write goes to a temporary file in the same folder, is
/// flushed to disk, checksummed, and renamed into place, then its sidecar the same way; an artifact
/// without a sidecar or whose bytes do not match it is corrupt.
/// </summary>
public sealed partial class DirectoryArtifactStore : IArtifactStore
{
    public DirectoryArtifactStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }
    public string Description => $"shared directory {Root}";
    public string CacheDirectory => Path.Combine(Root, "cache");

    public string Write(string key, string name, Action<string> write)
    {
        var path = PathOf(key, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp";
        try
        {
            write(temp);
            string hash = Flush(temp);
            File.Move(temp, path, overwrite: true);
            WriteAtomically(ArtifactChecksum.SidecarOf(path), $"{hash}  {name}\n");
            return path;
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public ArtifactRead Read(string key, string name) => ArtifactChecksum.Verify(PathOf(key, name));

    public void Delete(string key, string name)
    {
        var path = PathOf(key, name);
        File.Delete(ArtifactChecksum.SidecarOf(path));
        File.Delete(path);
    }

    /// <summary>Where an artifact of this store lies (whether or not it exists); throws for a key that is not a config hash.</summary>
    public string PathOf(string key, string name)
    {
        if (!KeyPattern().IsMatch(key)) throw new ArgumentException($"artifact key '{key}' is not a config hash (64 hex digits)");
        if (!ArtifactNames.All.Contains(name)) throw new ArgumentException($"'{name}' is not an artifact name ({string.Join(", ", ArtifactNames.All)})");
        return Path.Combine(Root, "cells", key[..2], key, name);
    }

    /// <summary>Checksums the file and forces it to disk, so that the rename never publishes bytes still in a cache.</summary>
    private static string Flush(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        stream.Flush(flushToDisk: true);
        return hash;
    }

    private static void WriteAtomically(string path, string text)
    {
        var temp = $"{path}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temp, text);
        Flush(temp);
        File.Move(temp, path, overwrite: true);
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex KeyPattern();
}
