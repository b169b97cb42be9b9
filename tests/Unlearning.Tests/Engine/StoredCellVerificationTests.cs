using Unlearning.Tests.Shared;
using Unlearning.Experiments;
using Unlearning.Storage;

namespace Unlearning.Tests.Engine;

/// <summary>A cell's folder read outside the store (a copy, a store mounted elsewhere) is checked
/// against its checksums like every read of the store: a damaged or half-copied artifact is refused,
/// naming the file, never measured.</summary>
public sealed class StoredCellVerificationTests : IDisposable
{
    private readonly TempFolder _temp = new("stored-cell-");
    private string _dir => _temp.Path;

    private string CopyOfAFinishedCell()
    {
        var result = new CellRunner(new EngineSettings { DataDir = _dir, OutDir = Path.Combine(_dir, "store"), Device = "cpu" })
            .Run(new CellSpec("synthetic-small", "ncf", "original", "tiny", 5));
        var copy = Directory.CreateDirectory(Path.Combine(_dir, "copy")).FullName;
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(result.ResultPath)!))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    [Fact]
    public void AnIntactCopyLoadsAndADamagedOneIsRefusedNamingTheFile()
    {
        var copy = CopyOfAFinishedCell();
        var intact = CellResult.LoadBeside(Path.Combine(copy, CellResult.FileName));
        Assert.Equal(Path.Combine(copy, ArtifactNames.Embeddings), intact.EmbeddingsPath);

        // Zeroed embeddings would be attacked as "no leakage": they are refused.
        var embeddings = Path.Combine(copy, ArtifactNames.Embeddings);
        var bytes = File.ReadAllBytes(embeddings);
        Array.Clear(bytes, 128, bytes.Length - 128);
        File.WriteAllBytes(embeddings, bytes);
        var damaged = Assert.Throws<InvalidDataException>(() => CellResult.LoadBeside(Path.Combine(copy, CellResult.FileName)));
        Assert.Contains($"{embeddings} does not match its checksum", damaged.Message);

        // A file without its checksum (half copied, or made by hand) is refused too.
        RestoreFrom(copy, ArtifactNames.Embeddings);
        CellResult.LoadBeside(Path.Combine(copy, CellResult.FileName));
        File.Delete(ArtifactChecksum.SidecarOf(Path.Combine(copy, ArtifactNames.UserGroups)));
        var unverified = Assert.Throws<InvalidDataException>(() => CellResult.LoadBeside(Path.Combine(copy, CellResult.FileName)));
        Assert.Contains($"{Path.Combine(copy, ArtifactNames.UserGroups)} has no checksum", unverified.Message);
    }

    [Fact]
    public void TheStoreAndAFolderReadAreOneCheck()
    {
        var store = new DirectoryArtifactStore(Path.Combine(_dir, "s"));
        var key = new string('c', 64);
        var path = store.Write(key, ArtifactNames.UserGroups, p => File.WriteAllText(p, "m\nf\n"));
        Assert.Equal(ArtifactState.Verified, ArtifactChecksum.Verify(path).State);
        File.AppendAllText(path, "m\n");
        Assert.Equal(ArtifactState.Corrupt, store.Read(key, ArtifactNames.UserGroups).State);
        Assert.Equal(ArtifactState.Corrupt, ArtifactChecksum.Verify(path).State);
        Assert.Contains("does not match its checksum", Assert.Throws<InvalidDataException>(() => ArtifactChecksum.Require(path)).Message);
    }

    /// <summary>Puts back the stored original of one artifact of the copy.</summary>
    private void RestoreFrom(string copy, string name)
    {
        var original = Directory.GetFiles(Path.Combine(_dir, "store", "cells"), name, SearchOption.AllDirectories).Single();
        File.Copy(original, Path.Combine(copy, name), overwrite: true);
    }

    public void Dispose() => _temp.Dispose();
}
