namespace Unlearning.Grains;

/// <summary>Per-silo limits on cells running at once.</summary>
public sealed class CellExecutorOptions
{
    /// <summary>Cells at once on this silo. Null: one per GPU x <see cref="SlotsPerGpu"/>, or one
    /// per core on a CPU-only silo (each cell uses one TorchSharp thread).</summary>
    public int? Slots { get; set; }

    /// <summary>Cells sharing one GPU. Null: as many as the GPU's memory holds at
    /// <see cref="CellGpuPeakGiB"/> (<see cref="GpuSlots"/>) where that is given, else 1.</summary>
    public int? SlotsPerGpu { get; set; }

    /// <summary>The most GPU memory one of this grid's cells takes (Cells__CellGpuPeakGiB): the largest
    /// "GPU peak" of the device benchmark (bench/gpu/run.sh) for the grid's datasets.</summary>
    public double? CellGpuPeakGiB { get; set; }

    /// <summary>Memory of this silo's GPU share in GiB (Cells__GpuMemoryGiB), for sizing slots where NVML
    /// cannot tell it: a time-sliced GPU (NVML reports the whole GPU to every sharer) or a MIG slice
    /// (whose memory query needs privileges). Null: each GPU's memory from NVML.</summary>
    public double? GpuMemoryGiB { get; set; }

    /// <summary>Cores this silo counts on (Cells__Cores). Null: the container's CPU share from its
    /// cgroup (limit, else request; <see cref="ContainerCpu"/>), else the machine's cores.</summary>
    public int? Cores { get; set; }

    /// <summary>GPUs this silo announces. Null: detected through TorchSharp.</summary>
    public int? Gpus { get; set; }

    /// <summary>Engine device: auto (CUDA when present), cpu, cuda or cuda:N.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>Longest a cell may hold its slot (Cells__TimeLimit, e.g. 2.00:00:00); null: no limit.
    /// A cell over it is cancelled and fails saying so; its checkpoint stays for a later run.</summary>
    public TimeSpan? TimeLimit { get; set; }

    /// <summary>Silos a cell may be started on before it fails (Cells__MaxAttempts, like Ray Tune's
    /// max_failures): a cell whose silo is lost under it again and again stops instead of looping.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How long a stopping silo lets its running cells go on before it checkpoints them
    /// (Cells__DrainTimeout, e.g. 00:30:00). Null or zero: at once, which suits preemption (a spot GPU gives
    /// 15-30 s). For a scale-down, a drain: the silo leaves the cluster at once (no cell is placed on it
    /// any more; its queued cells move at once), cells that finish within it are done where they ran, the rest
    /// checkpoint when it ends and resume elsewhere. The pod's terminationGracePeriodSeconds must exceed it
    /// by <see cref="SiloEndpoints.ShutdownTimeout"/>.</summary>
    public TimeSpan? DrainTimeout { get; set; }

    /// <summary>What computes cells (Cells__Engine): <c>torch</c>, the real engine, or <c>simulated</c>,
    /// for control-plane benchmarks only (<see cref="SimulatedCellEngine"/>: holds a slot, computes
    /// nothing, every result it gives says "simulated").</summary>
    public string Engine { get; set; } = "torch";

    /// <summary>Seconds a simulated cell holds its slot (Cells__SimulatedSeconds; only with Cells__Engine=simulated; default 1).</summary>
    public double? SimulatedSeconds { get; set; }

    /// <summary>Spread of a simulated cell's seconds, as a fraction either side (Cells__SimulatedJitter, 0 to 1; default 0.1).</summary>
    public double? SimulatedJitter { get; set; }

    public bool Simulated => Engine == "simulated";

    /// <summary>Throws naming the setting (as an environment variable) and its bad value.</summary>
    public CellExecutorOptions Validate()
    {
        if (Slots is < 1) throw new ArgumentException($"Cells__Slots must be at least 1, got {Slots}");
        if (SlotsPerGpu is < 1) throw new ArgumentException($"Cells__SlotsPerGpu must be at least 1, got {SlotsPerGpu}");
        if (CellGpuPeakGiB is { } peak && !(peak > 0)) throw new ArgumentException($"Cells__CellGpuPeakGiB must be a positive number of GiB, got {peak}");
        if (Gpus is < 0) throw new ArgumentException($"Cells__Gpus must not be negative, got {Gpus}");
        if (Device is not ("auto" or "cpu" or "cuda") && !(Device.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(Device.AsSpan(5), out int index) && index >= 0))
            throw new ArgumentException($"Cells__Device must be auto, cpu, cuda or cuda:N, got '{Device}'");
        if (TimeLimit is { } limit && limit <= TimeSpan.Zero) throw new ArgumentException($"Cells__TimeLimit must be positive, got {limit}");
        if (DrainTimeout is { } drain && (drain < TimeSpan.Zero || drain > TimeSpan.FromDays(7)))
            throw new ArgumentException($"Cells__DrainTimeout must be from 0 to 7 days, got {drain}");
        if (MaxAttempts < 1) throw new ArgumentException($"Cells__MaxAttempts must be at least 1, got {MaxAttempts}");
        if (GpuMemoryGiB is { } memory && !(memory > 0 && memory <= 4096)) throw new ArgumentException($"Cells__GpuMemoryGiB must be a positive number of GiB, got {memory}");
        if (Cores is < 1) throw new ArgumentException($"Cells__Cores must be at least 1, got {Cores}");
        if (Engine is not ("torch" or "simulated")) throw new ArgumentException($"Cells__Engine must be torch or simulated, got '{Engine}'");
        if (!Simulated && (SimulatedSeconds is not null || SimulatedJitter is not null))
            throw new ArgumentException("Cells__SimulatedSeconds and Cells__SimulatedJitter are for Cells__Engine=simulated only");
        if (SimulatedSeconds is { } s && !(s > 0 && s < 86400)) throw new ArgumentException($"Cells__SimulatedSeconds must be a positive number of seconds under a day, got {s}");
        if (SimulatedJitter is { } j && !(j >= 0 && j <= 1)) throw new ArgumentException($"Cells__SimulatedJitter must be between 0 and 1, got {j}");
        return this;
    }
}
