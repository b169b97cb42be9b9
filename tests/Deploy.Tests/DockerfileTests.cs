using System.Xml.Linq;
using Unlearning.Grains;

namespace Unlearning.Deploy.Tests;

/// <summary>What can be checked of the images without building them: what they copy, run, expose and check.</summary>
public sealed class DockerfileTests
{
    [Theory]
    [MemberData(nameof(Dockerfile.Names), MemberType = typeof(Dockerfile))]
    public void Sources_copied_from_the_context_exist_and_are_not_dockerignored(string path)
    {
        var ignored = Repo.Read(".dockerignore").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        foreach (var stage in Dockerfile.Parse(path).Stages)
            foreach (var copy in stage.All("COPY").Concat(stage.All("ADD")))
            {
                var (flags, sources, _) = Dockerfile.Copy(copy);
                if (flags.ContainsKey("from")) continue;
                foreach (var source in sources)
                {
                    Assert.True(Repo.Exists(source), $"{path}: COPY {source}: no such file in the repository");
                    Assert.False(Ignored(source, ignored), $"{path}: COPY {source} is excluded by .dockerignore");
                }
            }
    }

    [Theory]
    [MemberData(nameof(Dockerfile.Names), MemberType = typeof(Dockerfile))]
    public void Copies_from_a_build_stage_take_what_its_publish_wrote(string path)
    {
        var file = Dockerfile.Parse(path);
        var copies = 0;
        foreach (var stage in file.Stages)
            foreach (var copy in stage.All("COPY"))
            {
                var (flags, sources, _) = Dockerfile.Copy(copy);
                if (!flags.TryGetValue("from", out var from)) continue;
                var source = file.Stages.TakeWhile(s => s != stage).SingleOrDefault(s => s.Name == from);
                Assert.True(source is not null, $"{path}: COPY --from={from} names no earlier stage");
                if (source.Publish is not { } publish) continue;
                var copied = Assert.Single(sources).TrimEnd('/');
                if (copied == publish.Output.TrimEnd('/')) copies++;
                else Assert.True(NativeFolder(source) == copied, $"{path}: COPY --from={from} {copied}: neither the publish output nor its native libraries");
            }
        Assert.Equal(1, copies);
    }

    /// <summary>Issue 24: libtorch with CUDA and cuDNN is several GB. The CUDA image copies the native
    /// libraries (moved out of the publish output in the publish's own RUN) before the program, so that
    /// their layer stays the same while only code changes.</summary>
    [Fact]
    public void The_cuda_image_has_the_native_libraries_in_a_layer_before_the_program()
    {
        var file = Dockerfile.Parse("deploy/docker/silo-cuda.Dockerfile");
        var native = NativeFolder(file.Build);
        Assert.NotNull(native);
        var fromBuild = file.Final.All("COPY").Select(Dockerfile.Copy).Where(c => c.Flags.GetValueOrDefault("from") == file.Build.Name).Select(c => c.Sources.Single().TrimEnd('/')).ToList();
        Assert.Equal([native, file.Build.Publish!.Value.Output.TrimEnd('/')], fromBuild);

        // The restore runs on the project files alone: sources come after it.
        var build = file.Build.Instructions.ToList();
        var restore = build.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        var sources = build.FindIndex(i => i.Keyword == "COPY" && i.Words.Contains("src/"));
        Assert.InRange(restore, 0, sources - 1);
    }

    /// <summary>The folder the build stage's publish RUN moves the shared libraries (*.so*) of its output to.</summary>
    private static string? NativeFolder(Stage build)
    {
        var run = build.All("RUN").SingleOrDefault(r => r.Arguments.Contains("dotnet publish", StringComparison.Ordinal));
        if (run is null || !run.Arguments.Contains("-name '*.so*'", StringComparison.Ordinal)) return null;
        var m = System.Text.RegularExpressions.Regex.Match(run.Arguments, @"mkdir (/[\w/]+) ");
        return m.Success ? m.Groups[1].Value.TrimEnd('/') : null;
    }

    [Theory]
    [MemberData(nameof(Dockerfile.Names), MemberType = typeof(Dockerfile))]
    public void The_entrypoint_runs_the_published_assembly_where_it_was_copied(string path)
    {
        var file = Dockerfile.Parse(path);
        var publish = file.Build.Publish!.Value;
        var entrypoint = Assert.Single(file.Final.All("ENTRYPOINT"));
        var words = System.Text.Json.JsonSerializer.Deserialize<string[]>(entrypoint.Arguments)!;
        Assert.Equal(["dotnet", Dockerfile.AssemblyName(publish.Project) + ".dll"], words);

        // The dll resolves against WORKDIR: the publish output must land there.
        var workdir = file.Final.All("WORKDIR").Last().Arguments;
        var copy = file.Final.All("COPY").Select(Dockerfile.Copy).Single(c => c.Flags.GetValueOrDefault("from") == file.Build.Name && c.Sources.Single().TrimEnd('/') == publish.Output.TrimEnd('/'));
        Assert.Contains(copy.Destination.TrimEnd('/'), new[] { ".", workdir.TrimEnd('/') });
    }

    [Theory]
    [MemberData(nameof(Dockerfile.Names), MemberType = typeof(Dockerfile))]
    public void The_restore_layer_has_every_project_it_restores_and_the_publish_repeats_its_properties(string path)
    {
        var build = Dockerfile.Parse(path).Build;
        var publish = build.Publish!.Value;
        Assert.Contains("--no-restore", publish.Words);
        var restore = Assert.Single(build.Dotnet("restore"));
        Assert.Equal(publish.Project, restore[2]);
        Assert.Equal(Properties(restore), Properties(publish.Words));

        // The project files copied before the restore: the published project and all it references.
        var restoreAt = build.Instructions.ToList().FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        var copied = build.Instructions.Take(restoreAt).Where(i => i.Keyword == "COPY").SelectMany(i => Dockerfile.Copy(i).Sources).ToHashSet();
        Assert.Subset(copied, Dockerfile.ProjectClosure(publish.Project).ToHashSet());
        Assert.Contains("Directory.Build.props", copied);
        Assert.Contains("Directory.Packages.props", copied);
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", build.Image, StringComparison.Ordinal);
    }

    /// <summary>Issue 24: no <c>dotnet add package --no-restore</c> under central package management (it writes
    /// a Version on the PackageReference, which central management rejects).</summary>
    [Theory]
    [MemberData(nameof(Dockerfile.Names), MemberType = typeof(Dockerfile))]
    public void No_image_adds_packages_to_the_projects(string path) =>
        Assert.Empty(Dockerfile.Parse(path).Build.Dotnet("add"));

    /// <summary>The CUDA package comes in through MSBuild items under central package management, imported by
    /// a property that restore and publish both pass, at the TorchSharp release of Directory.Packages.props.</summary>
    [Fact]
    public void The_cuda_package_is_added_by_msbuild_at_the_central_torchsharp_release()
    {
        var versions = XDocument.Load(Repo.PathOf("Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => p.Attribute("Include")!.Value, p => p.Attribute("Version")!.Value);
        var build = Dockerfile.Parse("deploy/docker/silo-cuda.Dockerfile").Build;
        var import = Assert.Single(build.Dotnet("restore")).Single(w => w.StartsWith("-p:CustomAfterMicrosoftCommonTargets=", StringComparison.Ordinal)).Split('=', 2)[1];
        var targets = Assert.Single(build.All("COPY"), c => c.Heredoc is not null && Dockerfile.Copy(c).Destination == import);
        var project = XDocument.Parse(targets.Heredoc!);
        var version = project.Descendants("PackageVersion").Single(p => p.Attribute("Include")!.Value == "TorchSharp-cuda-linux").Attribute("Version")!.Value;
        // TorchSharp-cuda-linux X.Y.Z carries TorchSharp X.Y.Z: both must be the same release.
        Assert.Equal(versions["TorchSharp"], version);
        Assert.Null(project.Descendants("PackageReference").Single(p => p.Attribute("Include")!.Value == "TorchSharp-cuda-linux").Attribute("Version"));
        // Only for the CUDA build, and only in src/Unlearning, the project that references TorchSharp.
        var condition = project.Descendants("ItemGroup").Single().Attribute("Condition")!.Value;
        Assert.Contains("'$(UseCuda)' == 'true'", condition, StringComparison.Ordinal);
        Assert.Contains("'$(MSBuildProjectName)' == 'Unlearning'", condition, StringComparison.Ordinal);
        Assert.Contains(XDocument.Load(Repo.PathOf("src/Unlearning/Unlearning.csproj")).Descendants("PackageReference"), r => r.Attribute("Include")?.Value == "TorchSharp");
        Assert.Contains("$(UseCuda)", Repo.Read("src/Unlearning/Unlearning.csproj"), StringComparison.Ordinal);
    }

    /// <summary>Issue 24: "10.0" and "12.8" move; every base image names an exact release (x.y.z) or a digest.</summary>
    [Theory]
    [MemberData(nameof(Dockerfile.Names), MemberType = typeof(Dockerfile))]
    public void Base_images_are_pinned_to_an_exact_release(string path)
    {
        foreach (var stage in Dockerfile.Parse(path).Stages)
            Assert.True(stage.Image.Contains("@sha256:", StringComparison.Ordinal) || System.Text.RegularExpressions.Regex.IsMatch(stage.Image, @":\d+\.\d+\.\d+(?:-[\w.-]+)?$"),
                $"{path}: FROM {stage.Image} is not pinned to an exact release");
    }

    [Theory]
    [MemberData(nameof(Dockerfile.Names), MemberType = typeof(Dockerfile))]
    public void Silo_images_expose_the_silos_default_ports_and_check_liveness(string path)
    {
        var file = Dockerfile.Parse(path);
        var exposed = file.Final.All("EXPOSE").SelectMany(e => e.Words).Select(w => int.Parse(w.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        if (!IsSilo(file))
        {
            Assert.Empty(exposed);
            Assert.Null(file.HealthcheckUrl());
            return;
        }
        var defaults = new ClusterSettings();
        Assert.Equal(new[] { defaults.SiloPort, defaults.GatewayPort, MetricsOptions.DefaultPort }.Order(), exposed);

        var (variable, port, urlPath) = file.HealthcheckUrl() ?? throw new Xunit.Sdk.XunitException($"{path}: a silo image without a HEALTHCHECK");
        Assert.Equal(SiloEndpoints.Live, urlPath);
        Assert.Equal(MetricsOptions.DefaultPort, port);
        if (variable is not null) Assert.Contains(variable, ConfigKeys.Valid);
        // The check's program is installed in the final stage.
        var tool = Assert.Single(file.Final.All("HEALTHCHECK")).Words.SkipWhile(w => w != "CMD").Skip(1).First();
        Assert.Contains(file.Final.Commands, c => c.Take(2).SequenceEqual(["apt-get", "install"]) && c.Contains(tool));
    }

    [Theory]
    [MemberData(nameof(Dockerfile.Names), MemberType = typeof(Dockerfile))]
    public void Environment_keys_are_ones_the_program_reads(string path)
    {
        var file = Dockerfile.Parse(path);
        foreach (var env in file.Final.All("ENV"))
            foreach (var word in env.Words)
            {
                var name = word.Split('=', 2)[0];
                Assert.True(word.Contains('='), $"{path}: ENV {word}: write ENV KEY=value");
                if (ConfigKeys.LooksLikeConfigKey(name)) Assert.Contains(name, ConfigKeys.Valid);
                else if (name.StartsWith("UNLEARN_", StringComparison.Ordinal)) Assert.Contains(name, ConfigKeys.ClientVariables);
            }
    }

    [Theory]
    [MemberData(nameof(Dockerfile.Names), MemberType = typeof(Dockerfile))]
    public void The_program_runs_as_a_non_root_user(string path)
    {
        var user = Assert.Single(Dockerfile.Parse(path).Final.All("USER")).Arguments;
        Assert.True(user == "$APP_UID" || (int.TryParse(user, out var uid) && uid > 0), $"{path}: USER {user}");
    }

    [Fact]
    public void The_cuda_image_builds_without_cpu_libtorch_and_runs_on_a_cuda_base()
    {
        var file = Dockerfile.Parse("deploy/docker/silo-cuda.Dockerfile");
        Assert.Contains("-p:UseCuda=true", file.Build.Publish!.Value.Words);
        Assert.Contains("-p:UseCuda=true", Assert.Single(file.Build.Dotnet("restore")));
        Assert.StartsWith("nvidia/cuda:", file.Final.Image, StringComparison.Ordinal);
        // The .NET runtime comes from a stage of the same distribution (Ubuntu 24.04, noble) as the CUDA image.
        Assert.Contains(file.Stages, s => s.Image.StartsWith("mcr.microsoft.com/dotnet/runtime:10.0.", StringComparison.Ordinal) && s.Image.EndsWith("-noble", StringComparison.Ordinal) && s.Name is not null);
        Assert.EndsWith("ubuntu24.04", file.Final.Image, StringComparison.Ordinal);
        Assert.Contains(file.Final.All("ENV"), e => e.Words.Contains($"APP_UID={Images.Uid}"));
    }

    internal static bool IsSilo(Dockerfile file) => file.Build.Publish!.Value.Project == "src/Silo/Silo.csproj";

    private static string[] Properties(string[] command) => command.Where(w => w.StartsWith("-p:", StringComparison.Ordinal)).Order().ToArray();

    /// <summary>.dockerignore patterns as used here: a path, or **/NAME for a folder of that name anywhere.</summary>
    private static bool Ignored(string source, List<string> patterns)
    {
        var path = source.TrimEnd('/');
        var segments = path.Split('/');
        return patterns.Any(p => p.StartsWith("**/", StringComparison.Ordinal)
            ? segments.Contains(p[3..])
            : path == p || path.StartsWith(p + "/", StringComparison.Ordinal));
    }
}
