namespace Unlearning.Grains;

/// <summary>One cell of a grid: dataset x model x method, under a profile and a seed.</summary>
[GenerateSerializer, Immutable, Alias("Unlearning.CellKey")]
public sealed record CellKey(
    [property: Id(0)] string Dataset,
    [property: Id(1)] string Model,
    [property: Id(2)] string Method,
    [property: Id(3)] string Profile,
    [property: Id(4)] int Seed)
{
    /// <summary>The cell grain's key: run id and the cell's parts joined by '/', each part with '%' and
    /// '/' percent-encoded, so that any legal name (an attribute column "age/group" in a profile)
    /// parses back (<see cref="FromGrainKey"/>), and a key of parts without either is as it always was.</summary>
    public string GrainKey(string runId) => string.Join('/', new[] { runId, Dataset, Model, Method, Profile, Seed.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Select(Escape));

    /// <summary>The run id and the cell of a <see cref="GrainKey"/>.</summary>
    public static (string RunId, CellKey Cell) FromGrainKey(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 6 || !int.TryParse(Unescape(parts[5]), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var seed))
            throw new ArgumentException($"'{key}' is not a cell grain key (run/dataset/model/method/profile/seed)");
        return (Unescape(parts[0]), new CellKey(Unescape(parts[1]), Unescape(parts[2]), Unescape(parts[3]), Unescape(parts[4]), seed));
    }

    private static string Escape(string part) => part.Replace("%", "%25", StringComparison.Ordinal).Replace("/", "%2F", StringComparison.Ordinal);

    private static string Unescape(string part) => Uri.UnescapeDataString(part);

    public override string ToString() => $"{Dataset}/{Model}/{Method}/{Profile}/seed{Seed}";
}

/// <summary>What hardware a grid's cells may use. Where they read data and keep artifacts is each
/// silo's own configuration (Storage__Data, Storage__Artifacts), never a path from the client.</summary>
[GenerateSerializer, Immutable, Alias("Unlearning.GridSettings")]
public sealed record GridSettings(
    [property: Id(2)] bool AllowCpu = true);

[GenerateSerializer, Immutable, Alias("Unlearning.GridRequest")]
public sealed record GridRequest(
    [property: Id(0)] string RunId,
    [property: Id(1)] IReadOnlyList<CellKey> Cells,
    [property: Id(2)] GridSettings Settings);

/// <param name="Priority">Expected seconds of work that waits for this cell to end (its own and its
/// dependents'): a silo gives a freed device slot to the waiting cell with the highest.</param>
/// <param name="ReadyAt">When the grid found the cell's inputs done (it may wait for room in the grid's
/// admission window after that); copied into <see cref="CellStatus.ReadyAt"/>.</param>
[GenerateSerializer, Immutable, Alias("Unlearning.CellRequest")]
public sealed record CellRequest(
    [property: Id(0)] string RunId,
    [property: Id(1)] CellKey Cell,
    [property: Id(2)] GridSettings Settings,
    [property: Id(3)] double Priority = 0,
    [property: Id(4)] DateTimeOffset? ReadyAt = null);
