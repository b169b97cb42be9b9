using System.Collections.Concurrent;
using Unlearning.Tests.Shared;

namespace Unlearning.Deploy.Tests;

/// <summary>Renders the kustomizations under deploy/k8s with <c>kubectl kustomize</c> (no cluster needed).</summary>
internal static class Kustomize
{
    /// <summary>Overlays that each make a whole cluster of silos.</summary>
    public static readonly string[] SiloOverlays = ["overlays/gpu", "overlays/cpu", "overlays/gpu-servicemonitor", "overlays/gpu-keda"];

    /// <summary>Applied next to an overlay, in the same namespace (docs/deploy.md): the data once, the loader
    /// and the client when needed.</summary>
    public static readonly string[] Companions = ["data", "client", "data-loader"];

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

    /// <summary>The YAML of deploy/k8s/<paramref name="kustomization"/> with <paramref name="components"/>
    /// (deploy/k8s-relative) added, as a user would add them to its <c>components:</c>.</summary>
    public static string RenderWith(string kustomization, params string[] components)
    {
        if (Kubectl is null) Assert.Skip("kubectl is not on PATH: the Kubernetes manifests are not rendered or checked");
        var dir = Directory.CreateTempSubdirectory("kustomize-");
        try
        {
            // kustomize refuses absolute paths and, by default, files outside the kustomization's folder.
            string Relative(string k) => Path.GetRelativePath(dir.FullName, Repo.PathOf("deploy/k8s/" + k)).Replace('\\', '/');
            File.WriteAllText(Path.Combine(dir.FullName, "kustomization.yaml"),
                $"resources:\n  - {Relative(kustomization)}\ncomponents:\n" + string.Concat(components.Select(c => $"  - {Relative(c)}\n")));
            return RunIn(dir.FullName, "--load-restrictor", "LoadRestrictionsNone");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    public static List<object> ObjectsWith(string kustomization, params string[] components) => Manifests.Load(RenderWith(kustomization, components));

    private static readonly string? Kubectl = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, "kubectl"))
        .FirstOrDefault(File.Exists);

    private static string Run(string kustomization) => RunIn(Repo.PathOf("deploy/k8s/" + kustomization));

    private static string RunIn(string folder, params string[] options)
    {
        var kustomization = Path.GetFileName(folder);
        // KUBECONFIG=/dev/null: rendering must not depend on (or touch) whatever cluster this machine knows.
        using var kubectl = ChildProcess.Start(Kubectl!, ["kustomize", folder, .. options],
            new Dictionary<string, string> { ["KUBECONFIG"] = "/dev/null" });
        Assert.True(kubectl.WaitForExit(TimeSpan.FromSeconds(60)), $"kubectl kustomize {kustomization} did not finish within 60 seconds\n{kubectl.Printed}");
        Assert.True(kubectl.ExitCode == 0, $"kubectl kustomize {kustomization} failed: {kubectl.Errors}");
        return kubectl.Output;
    }
}
