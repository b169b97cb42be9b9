using System.Collections.Concurrent;
using Unlearning.Tests.Shared;

namespace Unlearning.Deploy.Tests;

/// <summary>Renders the kustomizations under deploy/k8s with <c>kubectl kustomize</c> (no cluster needed).</summary>
internal static class Kustomize
{
    /// <summary>Overlays that each make a whole cluster of silos.</summary>
    public static readonly string[] SiloOverlays = ["overlays/gpu", "overlays/cpu", "overlays/gpu-servicemonitor"];

    /// <summary>Applied next to an overlay, in the same namespace (docs/deploy.md).</summary>
    public static readonly string[] Companions = ["client", "data-loader"];

    public static IEnumerable<string> All => SiloOverlays.Concat(Companions);

    public static TheoryData<string> SiloOverlayData => new(SiloOverlays);
    public static TheoryData<string> AllData => new(All);

    private static readonly ConcurrentDictionary<string, Lazy<string>> Rendered = new();

    /// <summary>The YAML of deploy/k8s/<paramref name="kustomization"/>; skips the test where kubectl is absent.</summary>
    public static string Render(string kustomization)
    {
        if (Kubectl is null) Assert.Skip("kubectl is not on PATH: the Kubernetes manifests are not rendered or checked");
        return Rendered.GetOrAdd(kustomization, k => new Lazy<string>(() => Run(k))).Value;
    }

    public static List<object> Objects(string kustomization) => Manifests.Load(Render(kustomization));

    /// <summary>What one namespace holds once an overlay and its companions are applied.</summary>
    public static Cluster Cluster(string overlay) => new(Companions.Prepend(overlay).SelectMany(Objects).ToList());

    private static readonly string? Kubectl = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, "kubectl"))
        .FirstOrDefault(File.Exists);

    private static string Run(string kustomization)
    {
        // KUBECONFIG=/dev/null: rendering must not depend on (or touch) whatever cluster this machine knows.
        using var kubectl = ChildProcess.Start(Kubectl!, ["kustomize", Repo.PathOf("deploy/k8s/" + kustomization)],
            new Dictionary<string, string> { ["KUBECONFIG"] = "/dev/null" });
        Assert.True(kubectl.WaitForExit(TimeSpan.FromSeconds(60)), $"kubectl kustomize {kustomization} did not finish within 60 seconds\n{kubectl.Printed}");
        Assert.True(kubectl.ExitCode == 0, $"kubectl kustomize {kustomization} failed: {kubectl.Errors}");
        return kubectl.Output;
    }
}
