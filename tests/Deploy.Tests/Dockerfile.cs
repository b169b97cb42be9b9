using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Unlearning.Deploy.Tests;

/// <summary>One instruction, continuation lines joined: <c>COPY a b</c> is ("COPY", "a b").</summary>
internal sealed record Instruction(string Keyword, string Arguments, string? Heredoc = null)
{
    public string[] Words => Arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}

internal sealed record Stage(string Image, string? Name, IReadOnlyList<Instruction> Instructions)
{
    public IEnumerable<Instruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);

    /// <summary>The words of each <c>RUN</c> command, split at <c>&amp;&amp;</c>.</summary>
    public IEnumerable<string[]> Commands => All("RUN")
        .SelectMany(r => r.Arguments.Split("&&", StringSplitOptions.TrimEntries))
        .Select(c => c.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    public IEnumerable<string[]> Dotnet(string verb) => Commands.Where(c => c.Length > 2 && c[0] == "dotnet" && c[1] == verb);

    /// <summary>The <c>dotnet publish PROJECT ... -o DIR</c> of this stage, if it has one.</summary>
    public (string Project, string Output, string[] Words)? Publish
    {
        get
        {
            var command = Dotnet("publish").SingleOrDefault();
            if (command is null) return null;
            int output = Array.IndexOf(command, "-o");
            Assert.True(output > 0, $"dotnet publish without -o: {string.Join(' ', command)}");
            return (command.Skip(2).First(w => !w.StartsWith('-')), command[output + 1], command);
        }
    }
}

/// <summary>A Dockerfile of deploy/docker, read well enough to check what it refers to.</summary>
internal sealed partial class Dockerfile
{
    public required string Path { get; init; }
    public required IReadOnlyList<Stage> Stages { get; init; }

    public Stage Final => Stages[^1];

    /// <summary>"silo-cpu" for deploy/docker/silo-cpu.Dockerfile; its image is unlearning-silo-cpu.</summary>
    public string Stem => System.IO.Path.GetFileName(Path).Replace(".Dockerfile", "", StringComparison.Ordinal);

    public string ImageName => "unlearning-" + Stem;

    public Stage Build => Stages.Single(s => s.Publish is not null);

    public static IReadOnlyList<Dockerfile> All => Directory.GetFiles(Repo.PathOf("deploy/docker"), "*.Dockerfile")
        .Order(StringComparer.Ordinal)
        .Select(f => Parse("deploy/docker/" + System.IO.Path.GetFileName(f)))
        .ToList();

    public static TheoryData<string> Names => new(All.Select(d => d.Path));

    public static Dockerfile Parse(string path)
    {
        var instructions = new List<Instruction>();
        string pending = "";
        var lines = Repo.Read(path).Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0)) continue;
            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }
            line = pending + line;
            pending = "";
            if (line.Length == 0) continue;
            var space = line.IndexOf(' ');
            // A here-document (COPY <<'EOF' /dest): the lines up to its terminator are its content.
            string? heredoc = null;
            if (HeredocStart().Match(line) is { Success: true } start)
            {
                var body = new List<string>();
                while (++n < lines.Length && lines[n].TrimEnd('\r') != start.Groups["name"].Value) body.Add(lines[n]);
                Assert.True(n < lines.Length, $"{path}: here-document {start.Groups["name"].Value} is not terminated");
                heredoc = string.Join('\n', body);
            }
            instructions.Add(new Instruction(line[..space].ToUpperInvariant(), line[(space + 1)..].Trim(), heredoc));
        }
        var stages = new List<Stage>();
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                var words = instruction.Words;
                stages.Add(new Stage(words[0], words.Length == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null, new List<Instruction>()));
            }
            else
            {
                Assert.True(stages.Count > 0, $"{path}: {instruction.Keyword} before FROM");
                ((List<Instruction>)stages[^1].Instructions).Add(instruction);
            }
        }
        return new Dockerfile { Path = path, Stages = stages };
    }

    /// <summary>COPY's flags (--from=build), sources and destination.</summary>
    public static (Dictionary<string, string> Flags, string[] Sources, string Destination) Copy(Instruction copy)
    {
        var words = copy.Words;
        Assert.False(copy.Arguments.StartsWith('['), "COPY in JSON form is not read by these tests");
        var flags = words.TakeWhile(w => w.StartsWith("--", StringComparison.Ordinal))
            .Select(w => w[2..].Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        var rest = words.Skip(flags.Count).ToArray();
        // A here-document is no file of the build context.
        return (flags, rest[..^1].Where(w => !w.StartsWith("<<", StringComparison.Ordinal)).ToArray(), rest[^1]);
    }

    /// <summary>The AssemblyName of a project (its file name when it sets none).</summary>
    public static string AssemblyName(string csproj) =>
        XDocument.Load(Repo.PathOf(csproj)).Descendants("AssemblyName").SingleOrDefault()?.Value
        ?? System.IO.Path.GetFileNameWithoutExtension(csproj);

    /// <summary>The project and every project it references, transitively (repository-relative paths).</summary>
    public static IReadOnlySet<string> ProjectClosure(string csproj)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([csproj]);
        while (queue.TryDequeue(out var project))
        {
            if (!seen.Add(project)) continue;
            var folder = System.IO.Path.GetDirectoryName(Repo.PathOf(project))!;
            foreach (var reference in XDocument.Load(Repo.PathOf(project)).Descendants("ProjectReference"))
                queue.Enqueue(System.IO.Path.GetRelativePath(Repo.Root, System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, reference.Attribute("Include")!.Value))).Replace('\\', '/'));
        }
        return seen;
    }

    /// <summary>The port and path of the HEALTHCHECK's URL; the port may be <c>${Metrics__Port:-9464}</c>.</summary>
    public (string? Variable, int Port, string Path)? HealthcheckUrl()
    {
        var healthcheck = Final.All("HEALTHCHECK").SingleOrDefault();
        if (healthcheck is null) return null;
        var m = HealthUrl().Match(healthcheck.Arguments);
        Assert.True(m.Success, $"{Path}: no http://localhost:PORT/PATH in the HEALTHCHECK");
        return (m.Groups["var"].Success ? m.Groups["var"].Value : null, int.Parse(m.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups["path"].Value);
    }

    [GeneratedRegex(@"<<-?'?(?<name>[A-Za-z_]+)'?")]
    private static partial Regex HeredocStart();

    [GeneratedRegex("""http://(?:localhost|127\.0\.0\.1):(?:\$\{(?<var>\w+):-(?<port>\d+)\}|(?<port>\d+))(?<path>/[^\s"']*)""")]
    private static partial Regex HealthUrl();
}
