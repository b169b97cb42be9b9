using TorchSharp;
using static TorchSharp.torch;

namespace Unlearning.Util;

/// <summary>Process-wide TorchSharp settings: intra-op threads and the device a cell trains on.</summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static bool _cudaProbed;
    private static bool _cudaAvailable;

    /// <summary>Small models train faster with one intra-op thread (op overhead dominates);
    /// parallelism comes from running cells side by side. Call it on the thread that trains:
    /// OpenMP's thread count is per calling thread, so a new thread would otherwise use every core
    /// (and two cells in one process would oversubscribe the machine and lose bit-reproducibility).</summary>
    public static void SetThreads(int threads)
    {
        if (threads > 0) torch.set_num_threads(threads);
    }

    public static bool CudaAvailable
    {
        get
        {
            lock (Gate)
            {
                if (!_cudaProbed)
                {
                    try { _cudaAvailable = torch.cuda.is_available(); }
                    catch (Exception) { _cudaAvailable = false; }
                    _cudaProbed = true;
                }
                return _cudaAvailable;
            }
        }
    }

    public static int CudaDeviceCount => CudaAvailable ? torch.cuda.device_count() : 0;

    /// <summary>Resolves "auto" (CUDA when present), "cpu", "cuda" or "cuda:N".</summary>
    public static Device ResolveDevice(string? requested)
    {
        var name = string.IsNullOrWhiteSpace(requested) ? "auto" : requested.Trim().ToLowerInvariant();
        if (name == "auto") return CudaAvailable ? torch.CUDA : torch.CPU;
        if (name.StartsWith("cuda") && !CudaAvailable)
            throw new ArgumentException($"device '{requested}' was requested but no CUDA device is available");
        if (name != "cpu" && !name.StartsWith("cuda"))
            throw new ArgumentException($"unknown device '{requested}' (expected auto, cpu, cuda or cuda:N)");
        return torch.device(name);
    }
}
