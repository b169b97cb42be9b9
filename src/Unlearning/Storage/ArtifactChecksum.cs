using System.Security.Cryptography;

namespace Unlearning.Storage;

/// <summary>
/// The check behind every read of a stored artifact: a file is used only when a sha256sum-compatible
/// sidecar <c>&lt;file&gt;.sha256</c> lies beside it and its bytes match. The store reads through it,
/// and so does every command that is handed a cell's folder (a copy, a mounted store), so that a
/// damaged or half-copied artifact is refused, never measured.
/// </summary>
public static class ArtifactChecksum
{
    public const string Extension = ".sha256";

    public static string SidecarOf(string path) => path + Extension;

    /// <summary>Whether <paramref name="path"/> exists and matches its sidecar, and if not, why.</summary>
    public static ArtifactRead Verify(string path)
    {
        var sidecar = SidecarOf(path);
        if (!File.Exists(path)) return new ArtifactRead(ArtifactState.Missing, Problem: $"{path} does not exist");
        if (!File.Exists(sidecar)) return new ArtifactRead(ArtifactState.Corrupt, Problem: $"{path} has no checksum {Path.GetFileName(sidecar)} beside it (its write or copy did not finish)");
        var expected = File.ReadAllText(sidecar).Split(' ', 2)[0].Trim();
        string actual;
        using (var stream = File.OpenRead(path)) actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        return actual == expected
            ? new ArtifactRead(ArtifactState.Verified, path)
            : new ArtifactRead(ArtifactState.Corrupt, Problem: $"{path} does not match its checksum (sha256 {actual[..12]}..., expected {expected[..Math.Min(12, expected.Length)]}...): the file is damaged");
    }

    /// <summary>The path of a verified artifact; throws <see cref="InvalidDataException"/> naming the problem otherwise.</summary>
    public static string Require(string path)
    {
        var read = Verify(path);
        return read.IsVerified ? path : throw new InvalidDataException(read.Problem);
    }
}
