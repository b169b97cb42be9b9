namespace Unlearning.Data;

/// <summary>Unique (user, item) pairs in raw dense indices, sorted by user then item index.
/// <see cref="Positions"/> is the raw position of the occurrence that was kept.</summary>
internal sealed record UniquePairs(int[] Users, int[] Items, int[] Positions)
{
    public int Count => Users.Length;
}
