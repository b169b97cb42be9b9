using Unlearning.Util;

namespace Unlearning.Grains;

/// <summary>What this silo offers: GPUs (detected through TorchSharp unless configured) and cores.
/// Published as silo metadata so that placement can prefer GPU silos.</summary>
public sealed record SiloHardware(int Gpus, int Cores, int Slots)
{
    public const string GpuKey = "unlearning.gpus";
    public const string SlotsKey = "unlearning.slots";

    public static SiloHardware Detect(CellExecutorOptions options)
    {
        int gpus = options.Gpus ?? SafeCudaCount();
        int slots = options.Slots ?? (gpus > 0 ? gpus * Math.Max(1, options.SlotsPerGpu) : Environment.ProcessorCount);
        return new SiloHardware(gpus, Environment.ProcessorCount, slots);
    }

    public Dictionary<string, string> Metadata() => new()
    {
        [GpuKey] = Gpus.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [SlotsKey] = Slots.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static int SafeCudaCount()
    {
        try { return TorchRuntime.CudaDeviceCount; }
        catch (Exception) { return 0; }
    }
}
