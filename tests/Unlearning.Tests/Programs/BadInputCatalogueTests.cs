using System.Diagnostics;
using Unlearning.Tests.Shared;

namespace Unlearning.Tests.Programs;

/// <summary>
/// The command line's catalogue of bad input: every command, each case a process of its own. Each
/// must end at once (a hang guard, not a speed target) with exit code 2, nothing on standard output,
/// and one message on standard error naming the option, file or value, never a stack trace; none may
/// train, attack or write anything first. Paths in the cases: {dir} an empty folder, {file} a file,
/// {twice} an experiment file giving a key twice, {npy} a float32 matrix, {labels} its labels.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class BadInputCatalogueTests : IClassFixture<BadInputCatalogueTests.Files>
{
    private readonly Files _files;

    public BadInputCatalogueTests(Files files) => _files = files;

    public sealed class Files : IDisposable
    {
        public string Dir { get; } = Directory.CreateTempSubdirectory("bad-input-").FullName;

        public Files()
        {
            File.WriteAllText(Path.Combine(Dir, "file"), "not a folder");
            File.WriteAllText(Path.Combine(Dir, "twice.json"), """{ "training.epochs": 2, "training.epochs": 3 }""");
            Unlearning.Experiments.NpyFile.Write(Path.Combine(Dir, "x.npy"), new float[40], 10, 4);
            File.WriteAllLines(Path.Combine(Dir, "labels.txt"), Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? "m" : "f"));
            Directory.CreateDirectory(Path.Combine(Dir, "empty"));
        }

        public string Expand(string arg) => arg.Replace("{dir}", Path.Combine(Dir, "empty")).Replace("{file}", Path.Combine(Dir, "file"))
            .Replace("{twice}", Path.Combine(Dir, "twice.json")).Replace("{npy}", Path.Combine(Dir, "x.npy")).Replace("{labels}", Path.Combine(Dir, "labels.txt"));

        public void Dispose() => Directory.Delete(Dir, recursive: true);
    }

    private const string Cell = "cell --dataset synthetic-small --model ncf --method original --profile tiny --data {dir}";

    public static TheoryData<string, string> Cases => new()
    {
        // A dataset that cannot honour an attribute refuses it (it never trains gender under another label).
        { $"{Cell} --attribute age --out {{dir}}", "dataset 'synthetic-small' has no attribute 'age' (data.attribute_column / --attribute): it has only gender" },
        { $"{Cell} --set data.attribute_column=hair --out {{dir}}", "has no attribute 'hair'" },
        { "grid synthetic-small lfm-2b-synthetic --profile tiny --attribute occupation --data {dir} --out {dir}", "dataset 'synthetic-small' has no attribute 'occupation'" },
        // Where results go is checked before any work.
        { $"{Cell} --out {{file}}", "--out {file} is a file; it must be a folder (created if missing)" },
        { $"{Cell} --out /proc/unlearn-test/out", "--out /proc/unlearn-test/out is not a folder this program can write to" },
        { "grid synthetic-small --profile tiny --data {dir} --out {file}", "--out {file} is a file" },
        { "report some-run --out {file}", "--out {file} is a file" },
        { "attack --embeddings {npy} --labels {labels} --out {dir}", "--out {dir} is a folder; it must name a file" },
        { "data prepare synthetic-small --out {file}", "--out {file} is a file" },
        { "data fetch ml-100k --data {file}", "--data {file} is a file" },
        // Options have bounds.
        { $"{Cell} --threads 0 --out {{dir}}", "--threads must be from 1 to 256, got 0" },
        { $"{Cell} --threads -4 --out {{dir}}", "--threads must be from 1 to 256, got -4" },
        { "attack --embeddings {npy} --labels {labels} --threads 100000", "--threads must be from 1 to 256, got 100000" },
        { "grid synthetic-small --seeds 100000 --plan --data {dir}", "--seeds must be from 1 to 100, got 100000" },
        { "grid synthetic-small --seeds 0 --plan --data {dir}", "--seeds must be from 1 to 100, got 0" },
        { "grid synthetic-small --metrics-port 70000 --data {dir} --out {dir}", "--metrics-port must be a port number (0 for a free one), got 70000" },
        { "grid synthetic-small --log-level loud --data {dir} --out {dir}", "--log-level (or UNLEARN_LOG_LEVEL) 'loud' is not a level (expected trace, debug, information, warning, error, critical, none)" },
        // A setting is given once per source, never silently resolved.
        { $"{Cell} --set training.epochs=1 --set training.epochs=2 --out {{dir}}", "--set sets training.epochs twice ('training.epochs=1' and 'training.epochs=2'); give it once" },
        { "cell --dataset ml-100k --model ncf --method original --attribute age --set data.attribute_column=occupation --data {dir} --out {dir}", "--set with --attribute sets data.attribute_column twice" },
        { $"{Cell} --config {{twice}} --out {{dir}}", "{twice}: the file sets training.epochs twice ('training.epochs=2' and 'training.epochs=3'); give it once" },
        { "grid synthetic-small --sweep training.epochs=1,2 --sweep training.epochs=3 --plan --data {dir}", "--sweep training.epochs is given twice" },
        { "grid synthetic-small --set training.epochs=2 --sweep training.epochs=1,3 --plan --data {dir}", "training.epochs is both swept (--sweep) and set" },
        // Set to the profile's own value, it is still set: the sweep would override it silently.
        { "grid synthetic-small --set training.epochs=25 --sweep training.epochs=1,3 --plan --data {dir}", "training.epochs is both swept (--sweep) and set" },
        { "grid ml-100k --attribute gender --sweep data.attribute_column=age,occupation --plan --data {dir}", "data.attribute_column is both swept (--sweep) and set" },
        // A dataset an embedded grid can neither read nor download is refused before it plans or runs.
        { "grid ml100k --plan --data {dir}", "ml100k: unknown dataset 'ml100k': expected one of ml-100k" },
        { "grid ml100k --data {dir} --out {dir}", "ml100k: unknown dataset 'ml100k'" },
        { $"{Cell} --config {{dir}}/none.json --out {{dir}}", "--config: experiment file {dir}/none.json not found" },
        // Names and usage.
        { "cell --dataset synthetic-small --model svd --method original --out {dir}", "unknown model 'svd' (expected one of: ncf, lightgcn)" },
        { "cell --bogus", "Unrecognized command or argument '--bogus'" },
        { "report some-run --cell-plots some --out {dir}", "Argument 'some' not recognized. Must be one of" },
        { "report no-such-run --out {dir}", "no run 'no-such-run'" },
        { "grid status no-such-run --out {dir}", "no run 'no-such-run'" },
        { "grid cancel some-run --out {dir}", "grid cancel needs a cluster (--cluster or UNLEARN_CLUSTER)" },
        { "attack --embeddings {dir}/none.npy --labels {labels}", "--embeddings {dir}/none.npy not found" },
        { "attack --embeddings {npy} --labels {labels} --set training.epochs=3", "'training.epochs' is not an attack setting" },
        { "attack --labels {labels}", "give either --cell (a finished cell) or --embeddings with --labels" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadInputEndsAtOnceNamingTheProblem(string command, string expected)
    {
        var args = command.Split(' ').Select(_files.Expand).ToArray();
        var clock = Stopwatch.StartNew();
        using var client = ChildProcess.RunClient(TimeSpan.FromMinutes(1), args);
        TestContext.Current.TestOutputHelper?.WriteLine($"{command}: exit {client.ExitCode} in {clock.Elapsed.TotalSeconds:F1} s: {client.Errors.Split('\n')[0]}");
        Assert.True(client.ExitCode == 2, $"exit code {client.ExitCode}\n{client.Printed}");
        Assert.StartsWith("error: ", client.Errors);
        Assert.Contains(_files.Expand(expected), client.Errors);
        Assert.DoesNotContain("   at ", client.Errors);
        Assert.DoesNotContain("Unhandled exception", client.Errors);
        Assert.Equal("", client.Output);
        // Nothing was prepared or trained before the refusal.
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_files.Dir, "empty")));
    }
}
