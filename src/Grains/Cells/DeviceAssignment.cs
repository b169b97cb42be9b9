namespace Unlearning.Grains;

/// <summary>The engine device of a cell that runs in a given device slot of its silo.</summary>
public static class DeviceAssignment
{
    /// <param name="slot">0-based slot; slots are numbered GPU by GPU, <paramref name="slotsPerGpu"/> to a GPU.</param>
    /// <param name="device">The silo's configured device: auto, cpu, cuda or cuda:N.</param>
    public static string For(int slot, int gpus, int slotsPerGpu, string device)
    {
        if (gpus == 0 || device == "cpu") return "cpu";
        if (device.StartsWith("cuda:", StringComparison.Ordinal)) return device;
        return $"cuda:{slot / Math.Max(1, slotsPerGpu) % gpus}";
    }
}
