using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Unlearning.Util;

/// <summary>Process-wide TorchSharp settings: which libtorch is loaded, intra-op threads and the device
/// a cell trains on.</summary>
public static class TorchRuntime
{
    /// <summary>The lib folder of a libtorch built with CUDA (for example PyTorch's <c>torch/lib</c>),
    /// loaded instead of the libtorch that came with the build.</summary>
    public const string LibTorchVariable = "UNLEARN_LIBTORCH";

    /// <summary>Set to 1: the CPU takes the code paths a GPU takes (tensor Adam, tensor MMD, autograd
    /// LightGCN scorer, torch's sparse propagation) instead of its own kernels, so that tests on a
    /// machine without a GPU run the GPU's paths and compare their numbers with the CPU's.</summary>
    public const string PortableKernelsVariable = "UNLEARN_PORTABLE_KERNELS";

    /// <summary>True where the CPU's own kernels may be used (the default); false under
    /// <see cref="PortableKernelsVariable"/>=1. Read once per process.</summary>
    public static bool CpuKernels { get; } = Environment.GetEnvironmentVariable(PortableKernelsVariable) != "1";

    /// <summary>Whether a tensor on <paramref name="device"/> of <paramref name="dtype"/> may take a CPU kernel.</summary>
    public static bool UsesCpuKernels(Device device, ScalarType dtype = ScalarType.Float32) =>
        CpuKernels && device.type == DeviceType.CPU && dtype == ScalarType.Float32;

    private static readonly object Gate = new();
    private static bool _loaded;
    private static string? _cudaProblem;
    private static bool _cudaProbed;
    private static bool _cudaAvailable;

    /// <summary>Loads libtorch once per process, before TorchSharp touches its own: from
    /// <c>UNLEARN_LIBTORCH</c> when set (libtorch_cuda.so, libtorch.so, then TorchSharp's
    /// libLibTorchSharp.so against them, and CUDA initialised), else the build's. A folder that lacks
    /// the CUDA libraries is remembered as the reason CUDA is unusable, not thrown: CPU cells still run.</summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_loaded) return;
            _loaded = true;
            if (Environment.GetEnvironmentVariable(LibTorchVariable) is not { Length: > 0 } folder) return;
            try
            {
                foreach (var library in new[] { "libtorch_cuda.so", "libtorch.so" })
                {
                    var path = Path.Combine(folder, library);
                    if (!File.Exists(path)) throw new DllNotFoundException($"{LibTorchVariable}={folder} has no {library}");
                    NativeLibrary.Load(path);
                }
                var sharp = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
                NativeLibrary.Load(File.Exists(sharp) ? sharp : Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"));
                torch.InitializeDeviceType(DeviceType.CUDA);
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or InvalidOperationException or ExternalException)
            {
                _cudaProblem = e.Message;
            }
        }
    }

    /// <summary>Small models train faster with one intra-op thread (op overhead dominates);
    /// parallelism comes from running cells side by side. Call it on the thread that trains:
    /// OpenMP's thread count is per calling thread, so a new thread would otherwise use every core
    /// (and two cells in one process would oversubscribe the machine and lose bit-reproducibility).</summary>
    public static void SetThreads(int threads)
    {
        EnsureLoaded();
        if (threads > 0) torch.set_num_threads(threads);
    }

    public static bool CudaAvailable
    {
        get
        {
            EnsureLoaded();
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

    /// <summary>Why CUDA cannot be used here, in one sentence naming what was tried; null where it can.</summary>
    public static string? CudaProblem()
    {
        if (CudaAvailable) return null;
        return _cudaProblem is { } problem
            ? $"CUDA libtorch could not be loaded: {problem}"
            : Environment.GetEnvironmentVariable(LibTorchVariable) is { Length: > 0 } folder
                ? $"the libtorch in {LibTorchVariable}={folder} loaded, but it sees no CUDA device (driver, NVIDIA_VISIBLE_DEVICES?)"
                : $"this build's libtorch has no CUDA and {LibTorchVariable} is not set (set it to the lib folder of a CUDA libtorch, e.g. PyTorch's torch/lib)";
    }

    /// <summary>The device in words for logs and figures: "cpu", or "cuda:0 (NVIDIA H200), libtorch from DIR".</summary>
    public static string Describe(Device device) =>
        device.type == DeviceType.CUDA
            ? $"cuda:{Math.Max(0, (int)device.index)} of {CudaDeviceCount} visible, libtorch from {Environment.GetEnvironmentVariable(LibTorchVariable)}"
            : CpuKernels ? "cpu" : "cpu (portable kernels: the GPU's code paths)";

    /// <summary>Resolves "auto" (CUDA when present), "cpu", "cuda" or "cuda:N".</summary>
    public static Device ResolveDevice(string? requested)
    {
        var name = string.IsNullOrWhiteSpace(requested) ? "auto" : requested.Trim().ToLowerInvariant();
        if (name == "auto") return CudaAvailable ? torch.CUDA : torch.CPU;
        if (name != "cpu" && name != "cuda" && !(name.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(name.AsSpan(5), out _)))
            throw new ArgumentException($"unknown device '{requested}' (expected auto, cpu, cuda or cuda:N)");
        if (name.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (CudaProblem() is { } problem) throw new ArgumentException($"device '{requested}' was requested but CUDA is not usable: {problem}");
            int index = name == "cuda" ? 0 : int.Parse(name.AsSpan(5));
            if (index < 0 || index >= CudaDeviceCount)
                throw new ArgumentException($"device '{requested}' was requested but only {CudaDeviceCount} CUDA device{(CudaDeviceCount == 1 ? " is" : "s are")} visible");
        }
        return torch.device(name);
    }
}
