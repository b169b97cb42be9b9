namespace Unlearning.Data;

/// <summary>
/// Locates the repository root (the folder holding Unlearning.slnx) by walking up from the
/// application's base directory and from the current directory, and the offline data shared
/// next to it (<c>../shared/data</c> from the root), which is never committed.
/// </summary>
public static class RepoPaths
{
    public const string SolutionFile = "Unlearning.slnx";

    /// <summary>The repository root, or null when neither start folder is inside it.</summary>
    public static string? RepoRoot { get; } = FindRoot(AppContext.BaseDirectory) ?? FindRoot(Directory.GetCurrentDirectory());

    /// <summary><c>../shared/data</c> from the repository root, or null when it does not exist.</summary>
    public static string? SharedData { get; } = FindSharedData();

    private static string? FindSharedData()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            var root = FindRoot(start);
            if (root is null) continue;
            var data = Path.GetFullPath(Path.Combine(root, "..", "shared", "data"));
            if (Directory.Exists(data)) return data;
        }
        return null;
    }

    private static string? FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
        return null;
    }
}
