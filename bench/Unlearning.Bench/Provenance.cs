using System.Diagnostics;
using System.Runtime.InteropServices;
using Unlearning.Data;

namespace Unlearning.Bench;

/// <summary>What a figures file was measured with: the commit, the machine and the software.</summary>
public sealed record Provenance(string Commit, bool UncommittedChanges, string Machine, string Cpu, int Cores, long MemoryBytes,
    string Os, string Runtime, string TorchSharp, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt = null)
{
    public static Provenance Capture() => new(
        Git("rev-parse", "HEAD") ?? PublishedCommit() ?? "unknown (not a git checkout)",
        !string.IsNullOrWhiteSpace(Git("status", "--porcelain", "--untracked-files=no")),
        Environment.MachineName,
        CpuModel(),
        Environment.ProcessorCount,
        GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown",
        DateTimeOffset.Now);

    /// <summary>The commit that bench/gpu/build.sh wrote beside a published build (a GPU machine's copy has no .git).</summary>
    private static string? PublishedCommit()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "commit.txt");
        return File.Exists(path) ? $"{File.ReadAllText(path).Trim()} (published build)" : null;
    }

    private static string? Git(params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.RepoRoot ?? "." };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var git = Process.Start(psi)!;
            var text = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? text : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                   ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
