using System.Reflection;
using System.Text.RegularExpressions;
using Orleans.Configuration;
using Unlearning.Grains;

namespace Unlearning.Deploy.Tests;

/// <summary>The environment variables the programs read: section + "__" + a settable property of the
/// class bound to that section (silo and client), and the UNLEARN_* variables the client reads itself.</summary>
internal static partial class ConfigKeys
{
    public static readonly IReadOnlyDictionary<string, Type> Sections = new Dictionary<string, Type>
    {
        ["Cluster"] = typeof(ClusterSettings),
        ["Storage"] = typeof(StorageOptions),
        ["Cells"] = typeof(CellExecutorOptions),
        ["Metrics"] = typeof(MetricsOptions),
        ["Dashboard"] = typeof(DashboardOptions),
        ["Pod"] = typeof(PodOptions),
        ["Membership"] = typeof(ClusterMembershipOptions),
    };

    public static IReadOnlySet<string> Valid { get; } = Sections
        .SelectMany(s => s.Value.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true })
            .Select(p => $"{s.Key}__{p.Name}"))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>Read from the client's sources: every <c>GetEnvironmentVariable("...")</c> in src/Client.</summary>
    public static IReadOnlySet<string> ClientVariables { get; } = Directory
        .EnumerateFiles(Repo.PathOf("src/Client"), "*.cs", SearchOption.AllDirectories)
        .SelectMany(f => EnvironmentRead().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
        .ToHashSet(StringComparer.Ordinal);

    public static bool LooksLikeConfigKey(string name) => name.Contains("__", StringComparison.Ordinal);

    [GeneratedRegex("""GetEnvironmentVariable\("([A-Za-z0-9_]+)"\)""")]
    private static partial Regex EnvironmentRead();
}
