using System.Runtime.InteropServices;

namespace Unlearning.Grains;

/// <summary>Memory in use on each NVIDIA GPU, read through NVML (libnvidia-ml.so.1, which the NVIDIA
/// driver installs and the container toolkit mounts into GPU pods). TorchSharp 0.107 exposes no CUDA
/// allocator statistics, and NVML's figure is what nvidia-smi and DCGM report: every process's memory
/// on the device, which on a GPU silo is the silo's. Null where NVML is absent or fails.</summary>
public static partial class GpuMemory
{
    private const string Library = "libnvidia-ml.so.1";
    private static readonly Lazy<bool> Initialised = new(() =>
    {
        try { return nvmlInit_v2() == 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    });

    public static IReadOnlyList<long>? UsedBytes() => Read(memory => (long)memory.Used);

    /// <summary>Each GPU's memory; null where NVML is absent or fails.</summary>
    public static IReadOnlyList<long>? TotalBytes() => Read(memory => (long)memory.Total);

    private static long[]? Read(Func<NvmlMemory, long> figure)
    {
        if (!Initialised.Value || nvmlDeviceGetCount_v2(out uint count) != 0) return null;
        var values = new long[count];
        for (uint i = 0; i < count; i++)
        {
            if (nvmlDeviceGetHandleByIndex_v2(i, out nint device) != 0 || nvmlDeviceGetMemoryInfo(device, out var memory) != 0) return null;
            values[i] = figure(memory);
        }
        return values;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct NvmlMemory
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }

    [LibraryImport(Library)]
    private static partial int nvmlInit_v2();

    [LibraryImport(Library)]
    private static partial int nvmlDeviceGetCount_v2(out uint count);

    [LibraryImport(Library)]
    private static partial int nvmlDeviceGetHandleByIndex_v2(uint index, out nint device);

    [LibraryImport(Library)]
    private static partial int nvmlDeviceGetMemoryInfo(nint device, out NvmlMemory memory);
}
