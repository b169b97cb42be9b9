using Orleans.Placement;

namespace Unlearning.Grains;

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class GpuPreferredPlacementAttribute() : PlacementAttribute(GpuPreferredPlacement.Instance);
