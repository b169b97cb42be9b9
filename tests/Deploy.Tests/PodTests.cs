using k8s.Models;

namespace Unlearning.Deploy.Tests;

/// <summary>What every pod refers to exists: its account, volumes, claims, secrets, images and settings.</summary>
[Trait("Category", "Deploy")]
public sealed class PodTests
{
    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void Every_pod_runs_as_the_account_without_an_api_token(string overlay)
    {
        var cluster = Kustomize.Cluster(overlay);
        var account = Assert.Single(cluster.All<V1ServiceAccount>());
        Assert.False(account.AutomountServiceAccountToken ?? true, "the ServiceAccount mounts an API token");
        Assert.All(cluster.Pods, p => Assert.True(p.Spec.ServiceAccountName == account.Metadata.Name, $"{p} runs as '{p.Spec.ServiceAccountName}'"));
        Assert.All(cluster.Pods, p => Assert.NotEqual(true, p.Spec.AutomountServiceAccountToken));
    }

    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void Mounts_name_declared_volumes_and_claims_exist(string overlay)
    {
        var cluster = Kustomize.Cluster(overlay);
        var claims = cluster.All<V1PersistentVolumeClaim>().Select(c => c.Metadata.Name).ToHashSet();
        foreach (var pod in cluster.Pods)
        {
            var templates = cluster.All<V1StatefulSet>().Where(s => pod.Owner == $"StatefulSet/{s.Metadata.Name}")
                .SelectMany(s => s.Spec.VolumeClaimTemplates ?? []).Select(t => t.Metadata.Name).ToHashSet();
            var volumes = (pod.Spec.Volumes ?? []).Select(v => v.Name).Concat(templates).ToList();
            Assert.Equal(volumes.Distinct().Count(), volumes.Count);
            foreach (var mount in pod.Containers.SelectMany(c => c.VolumeMounts ?? []))
                Assert.True(volumes.Contains(mount.Name), $"{pod} mounts '{mount.Name}', which it does not declare");
            foreach (var volume in pod.Spec.Volumes ?? [])
                if (volume.PersistentVolumeClaim is { } claim)
                    Assert.True(claims.Contains(claim.ClaimName), $"{pod}: volume {volume.Name} claims '{claim.ClaimName}', which does not exist");
        }
        Assert.All(cluster.All<V1PersistentVolumeClaim>(), c => Assert.Contains(cluster.Pods, p => (p.Spec.Volumes ?? []).Any(v => v.PersistentVolumeClaim?.ClaimName == c.Metadata.Name)));
    }

    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void Our_containers_set_only_variables_the_programs_read(string overlay)
    {
        foreach (var pod in Kustomize.Cluster(overlay).Pods)
            foreach (var container in pod.Containers.Where(c => Images.IsOurs(c.Image)))
            {
                Assert.Null(container.EnvFrom);
                foreach (var env in container.Env ?? [])
                    Assert.True(ConfigKeys.Valid.Contains(env.Name) || (!pod.IsSilo && ConfigKeys.ClientVariables.Contains(env.Name)),
                        $"{pod}: {env.Name} is not a setting of {(pod.IsSilo ? "the silo" : "the client")}");
            }
    }

    /// <summary>The Secret is created by hand (docs/deploy.md): every reference must use its name and key.</summary>
    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void Secret_references_use_the_secret_and_key_the_docs_create(string overlay)
    {
        var (name, key) = DocsTests.CreatedSecret();
        var references = 0;
        foreach (var pod in Kustomize.Cluster(overlay).Pods)
        {
            foreach (var env in pod.Containers.SelectMany(c => c.Env ?? []))
                if (env.ValueFrom?.SecretKeyRef is { } secret)
                {
                    Assert.Equal((name, key), (secret.Name, secret.Key));
                    references++;
                }
            foreach (var volume in pod.Spec.Volumes ?? [])
                if (volume.Secret is { } secret)
                {
                    Assert.Equal(name, secret.SecretName);
                    Assert.Equal([key], (secret.Items ?? []).Select(i => i.Key));
                    references++;
                }
        }
        Assert.True(references >= 3, $"{overlay}: Redis, the silos and the client all need the password; {references} references");
    }

    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void Password_files_are_the_mounted_secret(string overlay)
    {
        foreach (var pod in Kustomize.Cluster(overlay).Pods)
            foreach (var container in pod.Containers)
                foreach (var env in (container.Env ?? []).Where(e => e.Name == "Cluster__RedisPasswordFile"))
                {
                    var files = from mount in container.VolumeMounts ?? []
                                join volume in pod.Spec.Volumes ?? [] on mount.Name equals volume.Name
                                where volume.Secret is not null
                                from item in volume.Secret.Items
                                select mount.MountPath.TrimEnd('/') + "/" + item.Path;
                    Assert.Contains(env.Value, files);
                }
    }

    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void Our_images_are_built_by_the_dockerfiles_and_run_as_their_user(string overlay)
    {
        foreach (var pod in Kustomize.Cluster(overlay).Pods)
            foreach (var container in pod.Containers)
            {
                Assert.True(container.Image.Contains(':', StringComparison.Ordinal) && !container.Image.EndsWith(":latest", StringComparison.Ordinal), $"{pod}: image {container.Image} has no fixed tag");
                if (!Images.IsOurs(container.Image)) continue;
                var published = Images.DockerfileOf(container.Image).Build.Publish!.Value.Project;
                Assert.Equal(pod.IsSilo ? "src/Silo/Silo.csproj" : "src/Client/Client.csproj", published);
                Assert.Equal(Images.Uid, pod.Spec.SecurityContext?.RunAsUser);
                Assert.Equal(Images.Uid, pod.Spec.SecurityContext?.FsGroup);
            }
    }

    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void Containers_run_unprivileged(string overlay)
    {
        foreach (var pod in Kustomize.Cluster(overlay).Pods)
        {
            Assert.True(pod.Spec.SecurityContext?.RunAsNonRoot == true, $"{pod} may run as root");
            foreach (var container in pod.Containers)
            {
                Assert.True(container.SecurityContext?.AllowPrivilegeEscalation == false, $"{pod}/{container.Name} allows privilege escalation");
                Assert.Equal(["ALL"], container.SecurityContext?.Capabilities?.Drop ?? []);
            }
        }
    }
}
