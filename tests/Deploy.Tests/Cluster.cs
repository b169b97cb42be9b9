using k8s;
using k8s.Models;

namespace Unlearning.Deploy.Tests;

/// <summary>A pod as some object declares it: a Deployment's, StatefulSet's or Job's template, or a bare Pod.</summary>
internal sealed record PodShape(string Owner, IDictionary<string, string> Labels, IDictionary<string, string>? Annotations, V1PodSpec Spec)
{
    public IEnumerable<V1Container> Containers => Spec.Containers.Concat(Spec.InitContainers ?? []);

    public bool IsSilo => Labels.TryGetValue("app.kubernetes.io/name", out var name) && name == "silo";

    /// <summary>The container's port with this name, or with this number.</summary>
    public V1ContainerPort? Port(IntOrString port) => Containers.SelectMany(c => c.Ports ?? [])
        .FirstOrDefault(p => p.Name == port.Value || p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == port.Value);

    public override string ToString() => Owner;
}

/// <summary>The objects one namespace holds, with the cross-reference lookups the tests need.</summary>
internal sealed class Cluster(IReadOnlyList<object> objects)
{
    public IReadOnlyList<object> Objects { get; } = objects;

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public IReadOnlyList<PodShape> Pods { get; } = objects.SelectMany(PodsOf).ToList();

    public IEnumerable<PodShape> Silos => Pods.Where(p => p.IsSilo);

    public PodShape Pod(string owner) => Pods.Single(p => p.Owner == owner);

    public IEnumerable<PodShape> Selected(V1LabelSelector selector) => Pods.Where(p => Matches(selector, p.Labels));

    public IEnumerable<PodShape> Selected(IDictionary<string, string> matchLabels) => Pods.Where(p => Matches(matchLabels, p.Labels));

    /// <summary>"Kind/name" of every object (Deployment/silo-gpu, ...), for references by name.</summary>
    public IEnumerable<(string Kind, string Name)> Names => Objects.Select(o => o switch
    {
        IKubernetesObject<V1ObjectMeta> k => (k.Kind, k.Metadata.Name),
        _ => throw new InvalidOperationException($"unexpected object {o.GetType()}"),
    });

    public static bool Matches(V1LabelSelector selector, IDictionary<string, string> labels)
    {
        // The manifests select by labels only; expressions would need an evaluator here.
        Assert.Null(selector.MatchExpressions);
        return Matches(selector.MatchLabels ?? new Dictionary<string, string>(), labels);
    }

    public static bool Matches(IDictionary<string, string> matchLabels, IDictionary<string, string> labels) =>
        matchLabels.All(l => labels.TryGetValue(l.Key, out var value) && value == l.Value);

    private static IEnumerable<PodShape> PodsOf(object o) => o switch
    {
        V1Deployment d => [Shape($"Deployment/{d.Metadata.Name}", d.Spec.Template)],
        V1StatefulSet s => [Shape($"StatefulSet/{s.Metadata.Name}", s.Spec.Template)],
        V1Job j => [Shape($"Job/{j.Metadata.Name}", j.Spec.Template)],
        V1Pod p => [new PodShape($"Pod/{p.Metadata.Name}", p.Metadata.Labels ?? new Dictionary<string, string>(), p.Metadata.Annotations, p.Spec)],
        _ => [],
    };

    private static PodShape Shape(string owner, V1PodTemplateSpec template) =>
        new(owner, template.Metadata?.Labels ?? new Dictionary<string, string>(), template.Metadata?.Annotations, template.Spec);
}
