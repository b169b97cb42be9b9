namespace Unlearning.Tests.Shared;

/// <summary>A fresh folder under the system's temporary folder, deleted (with all it holds) on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "unlearning-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    /// <summary>Writes a file (a path relative to the folder; folders created) and returns its full path.</summary>
    public string Write(string relative, string content)
    {
        var full = Sub(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    /// <summary>A path inside the folder.</summary>
    public string Sub(string relative) => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { } // a child process may still hold a file; the system's temp folder is cleaned anyway
    }
}
