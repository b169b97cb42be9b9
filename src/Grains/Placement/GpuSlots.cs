namespace Unlearning.Grains;

/// <summary>How many cells share one GPU when Cells__SlotsPerGpu is not set: as many as fit in 90 %
/// of its memory at the largest cell's peak (the rest for the allocator's fragmentation), and no more
/// than the cores that the silo has for each GPU (every cell also drives one host thread).</summary>
public static class GpuSlots
{
    public const double UsableFraction = 0.9;

    public static int For(long gpuMemoryBytes, long cellPeakBytes, int coresPerGpu)
    {
        if (gpuMemoryBytes <= 0 || cellPeakBytes <= 0) throw new ArgumentException($"GPU memory ({gpuMemoryBytes} B) and a cell's peak ({cellPeakBytes} B) must be positive");
        long fit = (long)Math.Floor(gpuMemoryBytes * UsableFraction / cellPeakBytes);
        return (int)Math.Clamp(fit, 1, Math.Max(1, coresPerGpu));
    }
}
