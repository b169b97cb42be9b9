using k8s.Models;

namespace Unlearning.Deploy.Tests;

[Trait("Category", "Deploy")]
public sealed class RedisAndClientTests
{
    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void Redis_persists_to_its_claim_and_requires_the_secret_password(string overlay)
    {
        var cluster = Kustomize.Cluster(overlay);
        var redis = Assert.Single(cluster.All<V1StatefulSet>());
        var container = Assert.Single(redis.Spec.Template.Spec.Containers);
        Assert.Equal("redis:7", container.Image);

        var args = container.Args.ToList();
        Assert.Equal("yes", args[args.IndexOf("--appendonly") + 1]);
        var requirepass = args[args.IndexOf("--requirepass") + 1];
        var variable = Assert.Single(container.Env, e => $"$({e.Name})" == requirepass);
        Assert.Equal(DocsTests.CreatedSecret(), (variable.ValueFrom.SecretKeyRef.Name, variable.ValueFrom.SecretKeyRef.Key));

        // The redis image keeps its append-only file in its working directory, /data.
        var template = Assert.Single(redis.Spec.VolumeClaimTemplates);
        Assert.Contains(container.VolumeMounts, m => m.Name == template.Metadata.Name && m.MountPath == "/data");
    }

    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void The_client_job_runs_grid_all_and_writes_its_report_to_the_artifact_volume(string overlay)
    {
        var cluster = Kustomize.Cluster(overlay);
        var job = Assert.Single(cluster.All<V1Job>());
        var client = cluster.Pod($"Job/{job.Metadata.Name}");
        var args = client.Containers.Single().Args.ToList();
        Assert.Equal(["grid", "all"], args.Take(2));
        Unlearning.Storage.SafeName.Check(RunId(job), "run id");

        var output = args[args.IndexOf("--out") + 1];
        var silo = cluster.Silos.First();
        Assert.Equal(SiloTests.ClaimMountedAt(silo, SiloTests.Env(silo)["Storage__Artifacts"]), SiloTests.ClaimMountedAt(client, output));

        // A retry re-attaches to the run; a grid that ended with failed cells (exit 1) is not rerun.
        Assert.Equal("Never", client.Spec.RestartPolicy);
        Assert.Contains(job.Spec.PodFailurePolicy.Rules, r => r.Action == "FailJob" && r.OnExitCodes?.Values.SequenceEqual([1]) == true);
    }

    internal static string RunId(V1Job job)
    {
        var args = job.Spec.Template.Spec.Containers.Single().Args.ToList();
        return args[args.IndexOf("--run") + 1];
    }
}
