using System.Diagnostics;

namespace Unlearning.Grains.Tests.Observability;

/// <summary>Prometheus' own checker (Debian's prometheus package; scripts/setup.sh installs it).</summary>
public static class Promtool
{
    public static string? Path { get; } = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists);

    /// <summary>Runs promtool with <paramref name="input"/> on its standard input; returns exit code and all output.</summary>
    public static (int ExitCode, string Output) Run(string input, params string[] args)
    {
        var info = new ProcessStartInfo(Path!) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "promtool did not finish within 1 minute");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary><c>promtool check metrics</c> on scraped text: lint problems are reported and fail it.</summary>
    public static void CheckMetrics(string text)
    {
        var (code, output) = Run(text, "check", "metrics");
        Assert.True(code == 0, $"promtool check metrics failed ({code}):\n{output}\n--- input:\n{text}");
    }

    /// <summary><c>promtool check rules</c> on a rules file: every expression must parse.</summary>
    public static void CheckRules(string yaml)
    {
        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"rules-{Guid.NewGuid():N}.yml");
        File.WriteAllText(file, yaml);
        try
        {
            var (code, output) = Run("", "check", "rules", file);
            Assert.True(code == 0, $"promtool check rules failed ({code}):\n{output}\n--- rules:\n{yaml}");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
