namespace Unlearning.Deploy.Tests;

/// <summary>How manifests name the images of deploy/docker: REGISTRY/unlearning-STEM:TAG is built from
/// deploy/docker/STEM.Dockerfile (docs/deploy.md tags them so; the overlays' <c>images:</c> point there).</summary>
internal static class Images
{
    /// <summary>The user the images run as: $APP_UID, which the .NET images define as 1654 and
    /// silo-cuda.Dockerfile (built on a CUDA image) sets to the same.</summary>
    public static int Uid => int.Parse(Dockerfile.Parse("deploy/docker/silo-cuda.Dockerfile").Final.All("ENV")
        .SelectMany(e => e.Words).Single(w => w.StartsWith("APP_UID=", StringComparison.Ordinal))["APP_UID=".Length..],
        System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"unlearning-silo-cuda" of "registry.example.com/unlearning-silo-cuda:0.1.0".</summary>
    public static string Name(string image)
    {
        var last = image.Split('/')[^1];
        return last.Split(':')[0];
    }

    public static bool IsOurs(string image) => Name(image).StartsWith("unlearning-", StringComparison.Ordinal);

    public static Dockerfile DockerfileOf(string image)
    {
        var file = Dockerfile.All.SingleOrDefault(d => d.ImageName == Name(image));
        Assert.True(file is not null, $"image {image}: no deploy/docker/{Name(image)["unlearning-".Length..]}.Dockerfile");
        return file;
    }
}
