using k8s.Models;

namespace Unlearning.Deploy.Tests;

/// <summary>What every pod refers to exists: its account, volumes, claims, secrets, images and settings.</summary>
[Trait("Category", "Deploy")]
public sealed class PodTests
{
    /// <summary>No pod talks to the Kubernetes API, except silos that publish their pod-deletion cost
    /// (components/idle-first-scale-down): they mount a token of their own account, which may only get
    /// and patch pods.</summary>
    [Theory]
    [MemberData(nameof(Kustomize.SiloOverlayData), MemberType = typeof(Kustomize))]
    public void Only_silos_publishing_their_deletion_cost_get_an_api_token_and_only_for_pods(string overlay)
    {
        var cluster = Kustomize.Cluster(overlay);
        var accounts = cluster.All<V1ServiceAccount>().ToDictionary(a => a.Metadata.Name);
        Assert.All(accounts.Values, a => Assert.False(a.AutomountServiceAccountToken ?? true, $"ServiceAccount {a.Metadata.Name} mounts an API token in every pod"));
        foreach (var pod in cluster.Pods)
        {
            Assert.True(accounts.ContainsKey(pod.Spec.ServiceAccountName ?? ""), $"{pod} runs as '{pod.Spec.ServiceAccountName}', which does not exist");
            bool publishes = pod.Containers.SelectMany(c => c.Env ?? []).Any(e => e.Name == "Pod__DeletionCost" && e.Value == "true");
            if (pod.Spec.AutomountServiceAccountToken != true)
            {
                Assert.False(publishes, $"{pod} publishes its deletion cost without an API token");
                continue;
            }
            Assert.True(pod.IsSilo && publishes, $"{pod} mounts an API token it has no use for");
            Assert.NotEqual("unlearning", pod.Spec.ServiceAccountName);
            var roles = cluster.All<V1RoleBinding>().Where(b => b.Subjects.Any(x => x.Kind == "ServiceAccount" && x.Name == pod.Spec.ServiceAccountName))
                .Select(b => Assert.Single(cluster.All<V1Role>(), r => r.Metadata.Name == b.RoleRef.Name)).ToList();
            var rule = Assert.Single(Assert.Single(roles).Rules);
            Assert.Equal([""], rule.ApiGroups);
            Assert.Equal(["pods"], rule.Resources);
            Assert.Equal(["get", "patch"], rule.Verbs.Order());
        }
        Assert.Empty(cluster.All<V1ClusterRoleBinding>());
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
