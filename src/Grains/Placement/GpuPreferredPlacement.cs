namespace Unlearning.Grains;

/// <summary>Places an activation by <see cref="PlacementRule"/>: on a silo that announces GPUs when
/// the cluster has any, else on any compatible silo; the one this silo has placed the fewest cells on
/// per device slot (cells of a grid are placed from the grid's silo, so this spreads them evenly).</summary>
[GenerateSerializer, Immutable, Alias("Unlearning.GpuPreferredPlacement")]
public sealed class GpuPreferredPlacement : PlacementStrategy
{
    public static readonly GpuPreferredPlacement Instance = new();
}
