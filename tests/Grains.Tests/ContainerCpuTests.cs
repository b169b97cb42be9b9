using Unlearning.Tests.Shared;

namespace Unlearning.Grains.Tests;

/// <summary>A silo's cores from fixture cgroup files, as a container sees them: the limit's quota,
/// else the request's weight (v2) or shares (v1), else nothing set.</summary>
public sealed class ContainerCpuTests
{
    private static string Folder(TempFolder temp, params (string File, string Text)[] files)
    {
        foreach (var (file, text) in files) File.WriteAllText(Path.Combine(temp.Path, file), text + "\n");
        return temp.Path;
    }

    [Fact]
    public void ALimitsQuotaIsTheShare()
    {
        using var temp = new TempFolder("cgroup-");
        Assert.Equal(2.5, ContainerCpu.Share(Folder(temp, ("cpu.max", "250000 100000"), ("cpu.weight", "79"))));
    }

    [Fact]
    public void WithoutALimitTheRequestComesBackFromTheWeight()
    {
        // The kubelet gives a 4-CPU request 4096 shares, written to cgroup v2 as weight 1 + 4094 * 9999 / 262142 = 157.
        using var temp = new TempFolder("cgroup-");
        var share = ContainerCpu.Share(Folder(temp, ("cpu.max", "max 100000"), ("cpu.weight", "157")));
        Assert.NotNull(share);
        Assert.InRange(share!.Value, 3.95, 4.05);
    }

    [Fact]
    public void TheDefaultWeightOrNoFilesSayNothing()
    {
        using (var temp = new TempFolder("cgroup-")) Assert.Null(ContainerCpu.Share(Folder(temp, ("cpu.max", "max 100000"), ("cpu.weight", "100"))));
        using (var temp = new TempFolder("cgroup-")) Assert.Null(ContainerCpu.Share(temp.Path));
        using (var temp = new TempFolder("cgroup-")) Assert.Null(ContainerCpu.Share(Folder(temp, ("cpu.cfs_quota_us", "-1"), ("cpu.cfs_period_us", "100000"), ("cpu.shares", "1024"))));
    }

    [Fact]
    public void CgroupV1QuotaThenShares()
    {
        using (var temp = new TempFolder("cgroup-"))
            Assert.Equal(3, ContainerCpu.Share(Folder(temp, ("cpu.cfs_quota_us", "300000"), ("cpu.cfs_period_us", "100000"), ("cpu.shares", "512"))));
        using (var temp = new TempFolder("cgroup-"))
            Assert.Equal(0.5, ContainerCpu.Share(Folder(temp, ("cpu.cfs_quota_us", "-1"), ("cpu.cfs_period_us", "100000"), ("cpu.shares", "512"))));
    }

    [Fact]
    public void TheProcessFolderIsFoundFromProcSelfCgroup()
    {
        using var temp = new TempFolder("cgroup-");
        // v2 (unified): the "0::" line, under the mount.
        File.WriteAllText(Path.Combine(temp.Path, "cgroup.controllers"), "cpu memory\n");
        Directory.CreateDirectory(Path.Combine(temp.Path, "kubepods", "pod1"));
        Assert.Equal(Path.Join(temp.Path, "/kubepods/pod1"), ContainerCpu.Folder("0::/kubepods/pod1\n", temp.Path));
        // v1: the line whose controllers include cpu.
        using var v1 = new TempFolder("cgroup-");
        Directory.CreateDirectory(Path.Combine(v1.Path, "cpu,cpuacct", "docker", "abc"));
        Assert.Equal(Path.Join(v1.Path, "cpu,cpuacct", "/docker/abc"), ContainerCpu.Folder("4:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n0::/\n", v1.Path));
        Assert.Null(ContainerCpu.Folder("4:memory:/x\n", v1.Path));
    }

    [Fact]
    public void SlotsFollowTheConfiguredGpuShareAndCores()
    {
        // A time-sliced GPU: NVML would report the whole card; the share is configured.
        var hardware = SiloHardware.Detect(new CellExecutorOptions { Gpus = 1, GpuMemoryGiB = 20, CellGpuPeakGiB = 4, Cores = 8 }.Validate());
        Assert.Equal(4, hardware.SlotsPerGpu); // floor(20 * 0.9 / 4)
        Assert.Equal(8, hardware.Cores);
        var fewCores = SiloHardware.Detect(new CellExecutorOptions { Gpus = 1, GpuMemoryGiB = 20, CellGpuPeakGiB = 4, Cores = 2 }.Validate());
        Assert.Equal(2, fewCores.SlotsPerGpu);
        Assert.Equal(3, SiloHardware.Detect(new CellExecutorOptions { Gpus = 0, Cores = 3 }.Validate()).Slots);
        Assert.Throws<ArgumentException>(() => new CellExecutorOptions { GpuMemoryGiB = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new CellExecutorOptions { Cores = 0 }.Validate());
    }
}
