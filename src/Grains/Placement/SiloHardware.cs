using Unlearning.Util;

namespace Unlearning.Grains;

/// <summary>What this silo offers: GPUs (detected through TorchSharp unless configured) and cores (the
/// container's share: <see cref="ContainerCpu"/>).
/// Published as silo metadata so that placement can prefer GPU silos.</summary>
public sealed record SiloHardware(int Gpus, int Cores, int Slots, int SlotsPerGpu = 1)
{
    public const string GpuKey = "unlearning.gpus";
    public const string SlotsKey = "unlearning.slots";

    public static SiloHardware Detect(CellExecutorOptions options)
    {
        int gpus = options.Gpus ?? SafeCudaCount();
        int cores = options.Cores ?? ContainerCpu.Cores();
        int perGpu = options.SlotsPerGpu
                     ?? (gpus > 0 && options.CellGpuPeakGiB is { } peak && GpuShareBytes(options) is { } memory
                         ? GpuSlots.For(memory, (long)(peak * (1L << 30)), cores / gpus)
                         : 1);
        int slots = options.Slots ?? (gpus > 0 ? gpus * perGpu : cores);
        return new SiloHardware(gpus, cores, slots, perGpu);
    }

    public Dictionary<string, string> Metadata() => new()
    {
        [GpuKey] = Gpus.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [SlotsKey] = Slots.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>A silo's GPUs and slots as its <see cref="Metadata"/> publishes them; 0 where absent or unreadable.</summary>
    public static (int Gpus, int Slots) FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        int Int(string key) => metadata.TryGetValue(key, out var text) && int.TryParse(text, out var n) ? n : 0;
        return (Int(GpuKey), Int(SlotsKey));
    }

    /// <summary>The memory of one GPU share: configured (time-slicing, MIG), else the smallest GPU's from NVML.</summary>
    private static long? GpuShareBytes(CellExecutorOptions options) =>
        options.GpuMemoryGiB is { } gib ? (long)(gib * (1L << 30)) : GpuMemory.TotalBytes() is { Count: > 0 } memory ? memory.Min() : null;

    private static int SafeCudaCount()
    {
        try { return TorchRuntime.CudaDeviceCount; }
        catch (Exception) { return 0; }
    }
}
