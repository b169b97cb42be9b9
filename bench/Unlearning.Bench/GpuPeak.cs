using Unlearning.Grains;
using static TorchSharp.torch;

namespace Unlearning.Bench;

/// <summary>
/// The most memory in use on one GPU while a benchmark child runs, sampled through NVML every
/// 100 ms (TorchSharp 0.107 has no allocator statistics). The figure is the device's, as nvidia-smi
/// shows it: the child is the benchmark's only GPU user, so it is the child's, CUDA context included.
/// </summary>
public sealed class GpuPeak : IDisposable
{
    private readonly int _index;
    private readonly Thread _sampler;
    private volatile bool _stopped;
    private long _peak;

    private GpuPeak(int index)
    {
        _index = index;
        _sampler = new Thread(Sample) { IsBackground = true, Name = "gpu-peak" };
        _sampler.Start();
    }

    /// <summary>A sampler for a CUDA device that NVML can read; null on the CPU or without NVML.</summary>
    public static GpuPeak? Start(Device device) =>
        device.type == TorchSharp.DeviceType.CUDA && GpuMemory.UsedBytes() is { Count: > 0 } used
            ? new GpuPeak(Math.Clamp((int)device.index, 0, used.Count - 1))
            : null;

    public long PeakBytes
    {
        get
        {
            Read();
            return Interlocked.Read(ref _peak);
        }
    }

    private void Sample()
    {
        while (!_stopped)
        {
            Read();
            Thread.Sleep(100);
        }
    }

    private void Read()
    {
        if (GpuMemory.UsedBytes() is { } used && _index < used.Count)
        {
            long now = used[_index], seen;
            while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen) { }
        }
    }

    public void Dispose()
    {
        _stopped = true;
        _sampler.Join();
    }
}
