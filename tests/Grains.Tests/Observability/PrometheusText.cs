using System.Globalization;
using System.Text.RegularExpressions;

namespace Unlearning.Grains.Tests.Observability;

/// <summary>Reads the Prometheus text format a silo serves: metric names and sample values.</summary>
public static partial class PrometheusText
{
    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{[^}]*\})?\s+(?<value>\S+)")]
    private static partial Regex Sample();

    public static IEnumerable<(string Name, string Labels, double Value)> Samples(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#') || Sample().Match(line) is not { Success: true } m) continue;
            yield return (m.Groups["name"].Value, m.Groups["labels"].Value, double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
        }
    }

    public static HashSet<string> Names(string text) => Samples(text).Select(s => s.Name).ToHashSet();

    /// <summary>The value of the one sample of <paramref name="name"/> whose labels contain every one of <paramref name="labels"/> (as name="value").</summary>
    public static double Value(string text, string name, params string[] labels)
    {
        var matches = Samples(text).Where(s => s.Name == name && labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal))).ToList();
        Assert.True(matches.Count == 1, $"{matches.Count} samples of {name} with {string.Join(",", labels)} in:\n{string.Join('\n', text.Split('\n').Where(l => l.StartsWith(name, StringComparison.Ordinal)))}");
        return matches[0].Value;
    }

    /// <summary>The HELP, TYPE and sample lines of the metrics whose names start with <paramref name="prefix"/>.</summary>
    public static string Only(string text, string prefix) => string.Join('\n', text.Split('\n').Where(l =>
        l.StartsWith(prefix, StringComparison.Ordinal) || l.StartsWith($"# HELP {prefix}", StringComparison.Ordinal) || l.StartsWith($"# TYPE {prefix}", StringComparison.Ordinal))) + "\n";
}
