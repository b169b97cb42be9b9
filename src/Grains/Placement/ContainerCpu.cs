using System.Globalization;

namespace Unlearning.Grains;

/// <summary>
/// The CPU share a container was given, read from its cgroup: the quota where there is a CPU limit
/// (cgroup v2 <c>cpu.max</c>, v1 <c>cpu.cfs_quota_us</c> / <c>cpu.cfs_period_us</c>), else the
/// weight that Kubernetes derives from the CPU request (v2 <c>cpu.weight</c>, v1 <c>cpu.shares</c>).
/// .NET's <see cref="Environment.ProcessorCount"/> follows a quota but not a request, so a pod with
/// a request and no limit would see the node's cores and size its slots on them.
/// </summary>
public static class ContainerCpu
{
    public const string Mount = "/sys/fs/cgroup";

    /// <summary>Cores this process may use: its cgroup's share rounded up (at least 1, at most the
    /// machine's), or the machine's cores where no share is set (no cgroup, neither a limit nor a request).</summary>
    public static int Cores(int? machineCores = null)
    {
        int machine = machineCores ?? Environment.ProcessorCount;
        string? membership = null;
        try { membership = File.Exists("/proc/self/cgroup") ? File.ReadAllText("/proc/self/cgroup") : null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        var folder = membership is null ? null : Folder(membership, Mount);
        return folder is not null && Share(folder) is { } share ? Math.Clamp((int)Math.Ceiling(share - 1e-9), 1, Math.Max(1, machine)) : machine;
    }

    /// <summary>The folder holding this process's CPU controller files, from /proc/self/cgroup: the
    /// unified (v2) hierarchy's "0::PATH" where <paramref name="mount"/> is unified, else the v1 line
    /// whose controllers include "cpu". Null where neither is found.</summary>
    public static string? Folder(string procSelfCgroup, string mount)
    {
        var lines = procSelfCgroup.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.Split(':', 3)).Where(f => f.Length == 3).ToList();
        if (File.Exists(Path.Combine(mount, "cgroup.controllers")) && lines.FirstOrDefault(f => f[0] == "0" && f[1] == "") is { } unified)
            return Path.Join(mount, unified[2]);
        if (lines.FirstOrDefault(f => f[1].Split(',').Contains("cpu")) is { } v1)
            foreach (var name in new[] { v1[1], "cpu,cpuacct", "cpu" })
                if (Directory.Exists(Path.Join(mount, name, v1[2]))) return Path.Join(mount, name, v1[2]);
        return null;
    }

    /// <summary>The share in cores (fractional) set in the cgroup folder <paramref name="root"/>, or null where it sets none.</summary>
    public static double? Share(string root)
    {
        if (Read(root, "cpu.max") is { } max)
        {
            // "max 100000" (no limit) or "QUOTA PERIOD".
            var parts = max.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] != "max" && Number(parts[0]) is { } quota && Number(parts[1]) is { } period && period > 0) return quota / period;
            // 100 is the default weight (no request), as 1024 shares is in v1.
            return FromShares(Read(root, "cpu.weight") is { } w && Number(w) is { } weight && weight != 100 ? SharesOfWeight(weight) : null);
        }
        if (Read(root, "cpu.cfs_quota_us") is { } q && Number(q) is { } quotaUs && quotaUs > 0
            && Read(root, "cpu.cfs_period_us") is { } p && Number(p) is { } periodUs && periodUs > 0)
            return quotaUs / periodUs;
        return FromShares(Read(root, "cpu.shares") is { } s && Number(s) is { } shares ? shares : null);
    }

    /// <summary>cgroup v2 weight back to v1 shares, inverting the kubelet's (and runc's) conversion
    /// weight = 1 + (shares - 2) * 9999 / 262142.</summary>
    public static double SharesOfWeight(double weight) => 2 + (weight - 1) * 262142 / 9999;

    /// <summary>Shares of 1024 per core; 1024 itself is also the default of a container given no request, so it says nothing.</summary>
    private static double? FromShares(double? shares) => shares is { } s && s > 2 && Math.Abs(s - 1024) > 1 ? s / 1024 : null;

    private static string? Read(string root, string file)
    {
        try
        {
            var path = Path.Combine(root, file);
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double? Number(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : null;
}
