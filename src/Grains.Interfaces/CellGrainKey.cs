using System.Globalization;
using Unlearning.Experiments;

namespace Unlearning.Grains;

/// <summary>The one string form of a cell grain's key: run id and the cell's parts joined by '/', each part
/// with '%' and '/' percent-encoded, so that any legal name (an attribute column "age/group" in a profile)
/// parses back, and a key of parts without either is as it always was (running grids keep their cells).</summary>
public static class CellGrainKey
{
    public static string Of(string runId, CellSpec cell) =>
        string.Join('/', new[] { runId, cell.Dataset, cell.Model, cell.Method, cell.Profile, cell.Seed.ToString(CultureInfo.InvariantCulture) }.Select(Escape));

    /// <summary>The run id and the cell of a key made by <see cref="Of"/>.</summary>
    public static (string RunId, CellSpec Cell) Parse(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 6 || !int.TryParse(Unescape(parts[5]), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
            throw new ArgumentException($"'{key}' is not a cell grain key (run/dataset/model/method/profile/seed)");
        return (Unescape(parts[0]), new CellSpec(Unescape(parts[1]), Unescape(parts[2]), Unescape(parts[3]), Unescape(parts[4]), seed));
    }

    private static string Escape(string part) => part.Replace("%", "%25", StringComparison.Ordinal).Replace("/", "%2F", StringComparison.Ordinal);

    private static string Unescape(string part) => Uri.UnescapeDataString(part);
}
