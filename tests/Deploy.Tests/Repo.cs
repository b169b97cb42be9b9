namespace Unlearning.Deploy.Tests;

/// <summary>Files of the repository this test assembly was built from, by repository-relative path.</summary>
internal static class Repo
{
    public static string Root { get; } = Unlearning.Data.RepoPaths.RepoRoot ?? throw new InvalidOperationException($"no Unlearning.slnx above {AppContext.BaseDirectory}");

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    public static bool Exists(string relative) => File.Exists(PathOf(relative)) || Directory.Exists(PathOf(relative));
}
