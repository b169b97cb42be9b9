using System.Text.RegularExpressions;
using k8s.Models;

namespace Unlearning.Deploy.Tests;

/// <summary>docs/deploy.md says only what exists: files, objects (written kubectl's way, kind/name),
/// settings, the Secret it has you create, image tags, the namespace and the run id.</summary>
public sealed partial class DocsTests
{
    private static string Doc => Repo.Read("docs/deploy.md");

    [Fact]
    public void Every_path_it_mentions_exists()
    {
        var paths = RepoPath().Matches(Doc).Select(m => m.Value.TrimEnd('.')).Distinct().ToList();
        Assert.True(paths.Count > 10, $"only {paths.Count} paths found");
        Assert.All(paths, p => Assert.True(Repo.Exists(p), $"docs/deploy.md mentions {p}, which does not exist"));
    }

    [Fact]
    public void Every_setting_it_mentions_is_one_the_programs_read()
    {
        var keys = ConfigKey().Matches(Doc).Select(m => m.Value).Distinct().ToList();
        Assert.True(keys.Count > 10, $"only {keys.Count} settings found");
        Assert.All(keys, k => Assert.True(ConfigKeys.Valid.Contains(k), $"docs/deploy.md mentions {k}, which no configuration class has"));
        Assert.All(ClientVariable().Matches(Doc).Select(m => m.Value), v => Assert.Contains(v, ConfigKeys.ClientVariables));
    }

    [Fact]
    [Trait("Category", "Deploy")]
    public void Every_object_it_names_exists_in_the_namespace()
    {
        var rendered = Kustomize.All.SelectMany(k => new Cluster(Kustomize.Objects(k)).Names)
            .Select(n => (Kind: n.Kind.ToLowerInvariant(), n.Name))
            .Append(("secret", CreatedSecret().Name))
            .ToHashSet();
        var named = ObjectReference().Matches(Doc).Select(m => (Kind: Kinds[m.Groups["kind"].Value], Name: m.Groups["name"].Value)).Distinct().ToList();
        Assert.True(named.Count > 10, $"only {named.Count} kind/name references found");
        Assert.All(named, n => Assert.True(rendered.Contains(n), $"docs/deploy.md names {n.Kind}/{n.Name}, which no kustomization renders"));

        // Besides the grid's own namespace, the docs may only speak of the one the metrics policy admits.
        var monitoring = Kustomize.Cluster("overlays/gpu").All<V1NetworkPolicy>()
            .SelectMany(p => p.Spec.Ingress ?? []).SelectMany(r => r.FromProperty ?? [])
            .Select(peer => peer.NamespaceSelector?.MatchLabels?["kubernetes.io/metadata.name"]).OfType<string>();
        var known = monitoring.Append("unlearning").ToHashSet();
        Assert.All(Namespace().Matches(Doc).Select(m => m.Groups[1].Value), ns => Assert.True(known.Contains(ns), $"docs/deploy.md uses the namespace {ns}"));
    }

    [Fact]
    public void It_builds_every_image_with_the_tag_the_kustomizations_replace()
    {
        var builds = DockerBuild().Matches(Doc).ToDictionary(m => m.Groups["file"].Value, m => m.Groups["image"].Value);
        Assert.Equal(Dockerfile.All.Select(d => d.Path).Order(), builds.Keys.Order());
        foreach (var file in Dockerfile.All)
        {
            Assert.Equal(file.ImageName, builds[file.Path]);
            Assert.Contains($"docker push $REGISTRY/{file.ImageName}:$TAG", Doc, StringComparison.Ordinal);
        }
        foreach (var dir in ApplyK().Matches(Doc).Select(m => m.Groups[1].Value))
            Assert.True(File.Exists(Repo.PathOf(dir + "/kustomization.yaml")), $"kubectl apply -k {dir}: no kustomization there");
    }

    [Fact]
    [Trait("Category", "Deploy")]
    public void Its_run_id_is_the_jobs()
    {
        var job = Assert.Single(Kustomize.Objects("client").OfType<V1Job>());
        var ids = RunIdUse().Matches(Doc).Select(m => m.Groups["id"].Value).Distinct().ToList();
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.Equal(RedisAndClientTests.RunId(job), id));
    }


    /// <summary>The Secret that <c>kubectl create secret generic NAME --from-literal=KEY=...</c> in the docs creates.</summary>
    internal static (string Name, string Key) CreatedSecret()
    {
        var m = Assert.Single(CreateSecret().Matches(Doc));
        return (m.Groups["name"].Value, m.Groups["key"].Value);
    }

    private static readonly Dictionary<string, string> Kinds = new()
    {
        ["namespace"] = "namespace", ["serviceaccount"] = "serviceaccount", ["statefulset"] = "statefulset", ["deployment"] = "deployment",
        ["job"] = "job", ["pod"] = "pod", ["service"] = "service", ["pvc"] = "persistentvolumeclaim", ["configmap"] = "configmap",
        ["secret"] = "secret", ["networkpolicy"] = "networkpolicy", ["pdb"] = "poddisruptionbudget", ["servicemonitor"] = "servicemonitor",
        ["priorityclass"] = "priorityclass", ["prometheusrule"] = "prometheusrule", ["scaledobject"] = "scaledobject",
    };

    [GeneratedRegex(@"(?<![\w./$-])(?:deploy|src|docs|tests|scripts|bench)/[\w./-]*[\w/]")]
    private static partial Regex RepoPath();

    [GeneratedRegex(@"\b[A-Z][A-Za-z]*__[A-Z][A-Za-z]*\b")]
    private static partial Regex ConfigKey();

    [GeneratedRegex(@"\bUNLEARN_[A-Z_]+\b")]
    private static partial Regex ClientVariable();

    [GeneratedRegex(@"(?<![\w./-])(?<kind>namespace|serviceaccount|statefulset|deployment|job|pod|service|pvc|configmap|secret|networkpolicy|pdb|servicemonitor|priorityclass|prometheusrule|scaledobject)/(?<name>[a-z0-9][a-z0-9.-]*[a-z0-9])(?![\w/])")]
    private static partial Regex ObjectReference();

    [GeneratedRegex(@"(?:-n|--namespace)[ =]([\w-]+)")]
    private static partial Regex Namespace();

    [GeneratedRegex(@"docker build -f (?<file>\S+) -t \$REGISTRY/(?<image>[\w-]+):\$TAG \.")]
    private static partial Regex DockerBuild();

    [GeneratedRegex(@"kubectl (?:apply|delete) -k ([\w./-]+)")]
    private static partial Regex ApplyK();

    [GeneratedRegex(@"(?:grid (?:status|cancel) |runs/|--run )(?<id>[\w.-]+)")]
    private static partial Regex RunIdUse();

    [GeneratedRegex(@"kubectl create secret generic (?<name>[\w-]+) .*?--from-literal=(?<key>[\w.-]+)=")]
    private static partial Regex CreateSecret();
}
