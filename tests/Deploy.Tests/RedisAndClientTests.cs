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

        Assert.Equal("Never", client.Spec.RestartPolicy);
    }

    /// <summary>Issue 24: the Job's failure policy follows the client's exit codes (0 done, 1 finished with
    /// failed cells, 2 usage or input error, 3 crashed, 130 interrupted).</summary>
    [Theory]
    [InlineData(1, null, "FailJob")]
    [InlineData(2, null, "FailJob")]
    [InlineData(3, null, "Count")]
    [InlineData(130, null, "Count")]
    [InlineData(137, null, "Count")]
    [InlineData(1, "DisruptionTarget", "Ignore")]
    [InlineData(3, "DisruptionTarget", "Ignore")]
    [InlineData(143, "DisruptionTarget", "Ignore")]
    public void The_jobs_failure_policy_follows_the_clients_exit_codes(int exitCode, string? condition, string action)
    {
        var job = Assert.Single(Kustomize.Objects("client").OfType<V1Job>());
        var container = job.Spec.Template.Spec.Containers.Single().Name;
        // As the Job controller does: the first rule that matches decides; none matching counts the failure.
        var rule = job.Spec.PodFailurePolicy.Rules.FirstOrDefault(r =>
            (r.OnExitCodes is { } codes && (codes.ContainerName is null || codes.ContainerName == container)
                && (codes.OperatorProperty == "In") == codes.Values.Contains(exitCode))
            || (r.OnPodConditions is { } conditions && conditions.Any(c => c.Type == condition && (c.Status ?? "True") == "True")));
        Assert.Equal(action, rule?.Action ?? "Count");
    }

    [Fact]
    public void A_run_of_days_survives_some_client_crashes_and_every_disruption()
    {
        var job = Assert.Single(Kustomize.Objects("client").OfType<V1Job>());
        Assert.InRange(job.Spec.BackoffLimit ?? 6, 10, 100);
        Assert.Null(job.Spec.ActiveDeadlineSeconds);
        Assert.Null(job.Spec.TtlSecondsAfterFinished);
        // The same arguments in every pod: grid all --run ID re-attaches to the run of that id.
        var args = job.Spec.Template.Spec.Containers.Single().Args;
        Assert.Contains("--run", args);
        Assert.DoesNotContain(args, a => a.Contains("$(", StringComparison.Ordinal));
    }

    internal static string RunId(V1Job job)
    {
        var args = job.Spec.Template.Spec.Containers.Single().Args.ToList();
        return args[args.IndexOf("--run") + 1];
    }
}
