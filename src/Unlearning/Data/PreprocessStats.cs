namespace Unlearning.Data;

/// <summary>Counts along the preprocessing pipeline, for logs and sanity checks.</summary>
public sealed record PreprocessStats
{
    public required int RawInteractions { get; init; }
    public required int RawUsers { get; init; }
    public required int RawItems { get; init; }
    public required int UniquePairs { get; init; }
    public required int UsersWithoutAttribute { get; init; }
    public required int KCorePasses { get; init; }
    public required int MinUserInteractions { get; init; }
    public required int MinItemInteractions { get; init; }
    public required int Users { get; init; }
    public required int Items { get; init; }
    public required int Interactions { get; init; }
    public required int TrainPairs { get; init; }
    public required bool HasTimestamps { get; init; }

    /// <summary>Users with more than one interaction at their latest timestamp (after filtering).</summary>
    public required int UsersWithLatestTies { get; init; }

    public required int[] GroupSizes { get; init; }
    public required string[] GroupValues { get; init; }

    public override string ToString() =>
        $"raw {RawInteractions:N0} interactions / {RawUsers:N0} users / {RawItems:N0} items; " +
        $"{UniquePairs:N0} unique pairs; {UsersWithoutAttribute:N0} interacting users without attribute; " +
        $"k-core (users >= {MinUserInteractions}, items >= {MinItemInteractions}) in {KCorePasses} passes -> " +
        $"{Users:N0} users, {Items:N0} items, {Interactions:N0} interactions, {TrainPairs:N0} train pairs; " +
        (HasTimestamps ? $"{UsersWithLatestTies:N0} users with tied latest timestamps; " : "no timestamps (random hold-out); ") +
        "groups " + string.Join(", ", GroupValues.Select((v, g) => $"{g}={v} ({GroupSizes[g]:N0})"));
}
