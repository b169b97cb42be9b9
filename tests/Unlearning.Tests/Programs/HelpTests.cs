using System.Text.RegularExpressions;
using Unlearning.Experiments;
using Unlearning.Tests.Shared;

namespace Unlearning.Tests.Programs;

/// <summary>The README's command synopsis and each command's <c>--help</c> agree: every option a
/// command takes is in its synopsis, every profile is named, a subcommand's help lists no argument of
/// its parent, and an example in the help is one the command accepts.</summary>
[Trait("Category", "EndToEnd")]
public sealed partial class HelpTests
{
    [GeneratedRegex(@"(?m)^  (--[a-z-]+)")]
    private static partial Regex OptionLine();

    /// <summary>The lines of the README's "## Commands" block that start with the command, and their continuations.</summary>
    private static string Synopsis(string command)
    {
        var readme = File.ReadAllText(Path.Combine(Path.GetDirectoryName(ChildProcess.Built("src/Client", "unlearn.dll"))!, "..", "..", "..", "..", "..", "README.md"));
        var block = readme[readme.IndexOf("## Commands", StringComparison.Ordinal)..];
        block = block[(block.IndexOf("```", StringComparison.Ordinal) + 3)..];
        block = block[..block.IndexOf("```", StringComparison.Ordinal)];
        var lines = new List<string>();
        bool inside = false;
        foreach (var line in block.Split('\n'))
        {
            if (line.StartsWith("unlearn ", StringComparison.Ordinal)) inside = line.StartsWith($"unlearn {command} ", StringComparison.Ordinal) &&
                !(command == "grid" && (line.StartsWith("unlearn grid status", StringComparison.Ordinal) || line.StartsWith("unlearn grid cancel", StringComparison.Ordinal)));
            if (inside) lines.Add(line);
        }
        Assert.True(lines.Count > 0, $"the README's synopsis has no line for `unlearn {command}`");
        return string.Join('\n', lines);
    }

    [Theory]
    [InlineData("cell")]
    [InlineData("grid")]
    [InlineData("grid status")]
    [InlineData("grid cancel")]
    [InlineData("report")]
    [InlineData("attack")]
    [InlineData("data fetch")]
    [InlineData("data prepare")]
    public void EveryOptionOfACommandIsInTheReadme(string command)
    {
        using var help = ChildProcess.RunClient(TimeSpan.FromMinutes(1), [.. command.Split(' '), "--help"]);
        Assert.True(help.ExitCode == 0, help.Printed);
        var synopsis = Synopsis(command);
        var missing = OptionLine().Matches(help.Output).Select(m => m.Groups[1].Value).Where(o => o != "--help" && !synopsis.Contains(o + " ", StringComparison.Ordinal) && !synopsis.Contains(o + "]", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"`unlearn {command}` takes {string.Join(", ", missing)}, which its README synopsis lacks:\n{synopsis}");
        if (command.Contains(' ', StringComparison.Ordinal)) Assert.DoesNotContain("<datasets>", help.Output);
        if (help.Output.Contains("--profile", StringComparison.Ordinal))
            foreach (var profile in ExperimentProfile.Names)
                Assert.Contains(profile, synopsis);
    }

    [Fact]
    public void TheAttackHelpsExampleKeysAreAttackSettings()
    {
        using var help = ChildProcess.RunClient(TimeSpan.FromMinutes(1), "attack", "--help");
        var examples = Regex.Matches(help.Output, @"e\.g\. ([a-z_]+\.[a-z_]+)=").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(examples);
        RepresentationAttack.RequireAttackSettings(examples);
    }
}
