namespace Unlearning.Data;

/// <summary>Attribute values to group ids: group 0 is the largest group, groups numbered by
/// descending size, equal sizes in ordinal order of the value.</summary>
internal static class GroupAssigner
{
    public static (int[] UserGroup, string[] GroupValues) Assign(string[] userValues)
    {
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var v in userValues) sizes[v] = sizes.GetValueOrDefault(v) + 1;
        var values = sizes.Keys.ToArray();
        Array.Sort(values, (a, b) =>
        {
            int c = sizes[b].CompareTo(sizes[a]);
            return c != 0 ? c : string.CompareOrdinal(a, b);
        });
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int g = 0; g < values.Length; g++) index[values[g]] = g;
        var groups = new int[userValues.Length];
        for (int u = 0; u < groups.Length; u++) groups[u] = index[userValues[u]];
        return (groups, values);
    }
}
