using System.Globalization;
using Unlearning.Experiments;
using Unlearning.Tests.Shared;

namespace Unlearning.Tests.Programs;

/// <summary><c>attack</c> on a finished cell reproduces its Table 3 on the paper's view and adds the
/// full representation; on a .npy with labels it attacks whatever it is given; only attack settings
/// may change, and mismatched inputs are named.</summary>
[Trait("Category", "EndToEnd")]
public sealed class AttackCommandTests : IDisposable
{
    private readonly TempFolder _temp = new("attack-cli-");
    private string _dir => _temp.Path;

    private static ChildProcess Client(params string[] args) => ChildProcess.RunClient(TimeSpan.FromMinutes(4), args);

    private CellResult Cell() =>
        new CellRunner(new EngineSettings { DataDir = _dir, OutDir = _dir, Device = "cpu" }).Run(new CellSpec("synthetic-small", "ncf", "original", "tiny", 4));

    [Fact]
    public void AFinishedCellsAttackReproducesItsTable3AndAddsTheFullRepresentation()
    {
        var result = Cell();
        using var attack = Client("attack", "--cell", Path.GetDirectoryName(result.ResultPath)!);
        Assert.True(attack.ExitCode == 0, attack.Printed);
        var rows = attack.Output.Split('\n').Where(l => l.StartsWith("| attacked", StringComparison.Ordinal) || l.StartsWith("| full", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, rows.Count);
        foreach (var report in result.Attacks)
        {
            // The paper's view with the cell's own settings and seed gives the cell's Table 3 exactly.
            var row = rows.Single(r => r.StartsWith("| attacked", StringComparison.Ordinal) && r.Contains($"| {report.Attacker} |"));
            Assert.Contains($"| {F(report.Mean.Accuracy)} ± {F(report.Std.Accuracy)} |", row);
            Assert.Contains($"| {F(report.Mean.Auc)} ± {F(report.Std.Auc)} |", row);
        }
        var full = NpyFile.Read(result.RepresentationPath!);
        Assert.All(rows.Where(r => r.StartsWith("| full", StringComparison.Ordinal)), r => Assert.Contains($"| {full.Cols} |", r));
        Assert.True(full.Cols > NpyFile.Read(result.EmbeddingsPath).Cols);

        // A changed attack setting changes the MLP's numbers and is named.
        using var changed = Client("attack", "--cell", result.ResultPath, "--view", "attacked", "--set", "mlp_attacker.hidden=4");
        Assert.True(changed.ExitCode == 0, changed.Printed);
        Assert.Contains("mlp_attacker.hidden=4 (paper 100)", changed.Output);
        var mlp = result.Attacks.Single(a => a.Attacker == "MLP");
        Assert.DoesNotContain($"| {F(mlp.Mean.Auc)} ± {F(mlp.Std.Auc)} |", changed.Output.Split('\n').Single(l => l.Contains("| MLP |")));
    }

    [Fact]
    public void AnyRepresentationWithLabelsAndItsErrors()
    {
        var result = Cell();
        using var npy = Client("attack", "--embeddings", result.RepresentationPath!, "--labels", result.UserGroupsPath!, "--profile", "tiny", "--out", Path.Combine(_dir, "attack.md"));
        Assert.True(npy.ExitCode == 0, npy.Printed);
        Assert.Contains("| MLP |", File.ReadAllText(Path.Combine(_dir, "attack.md")));
        Assert.Contains("| Tree |", npy.Output);

        using var treeOnly = Client("attack", "--embeddings", result.RepresentationPath!, "--labels", result.UserGroupsPath!, "--profile", "tiny", "--attackers", "tree");
        Assert.True(treeOnly.ExitCode == 0, treeOnly.Printed);
        Assert.Contains("| Tree |", treeOnly.Output);
        Assert.DoesNotContain("| MLP |", treeOnly.Output);
        using var unknown = Client("attack", "--embeddings", result.RepresentationPath!, "--labels", result.UserGroupsPath!, "--attackers", "svm");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("unknown attacker 'svm' (expected one of: mlp, tree, logistic, knn)", unknown.Errors);

        var shortLabels = Path.Combine(_dir, "short.txt");
        var users = File.ReadAllLines(result.UserGroupsPath!).Length;
        File.WriteAllLines(shortLabels, File.ReadAllLines(result.UserGroupsPath!).Skip(1));
        using var mismatch = Client("attack", "--embeddings", result.RepresentationPath!, "--labels", shortLabels);
        Assert.Equal(2, mismatch.ExitCode);
        Assert.Contains($"has {users:N0} rows but there are {users - 1:N0} labels in {shortLabels}", mismatch.Errors);

        using var notAttack = Client("attack", "--cell", result.ResultPath, "--set", "training.epochs=3");
        Assert.Equal(2, notAttack.ExitCode);
        Assert.Contains("'training.epochs' is not an attack setting", notAttack.Errors);

        using var neither = Client("attack", "--labels", shortLabels);
        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("give either --cell", neither.Errors);
    }

    /// <summary>A copied cell whose embeddings were zeroed would be attacked as "no leakage" (AUC 0.5):
    /// its checksum refuses it, naming the file, and nothing is attacked.</summary>
    [Fact]
    public void ADamagedCopyOfACellIsRefused()
    {
        var result = Cell();
        var copy = Directory.CreateDirectory(Path.Combine(_dir, "copied-cell")).FullName;
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(result.ResultPath)!)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        var embeddings = Path.Combine(copy, "user_embeddings.npy");
        var bytes = File.ReadAllBytes(embeddings);
        Array.Clear(bytes, 128, bytes.Length - 128);
        File.WriteAllBytes(embeddings, bytes);
        using var attack = Client("attack", "--cell", copy);
        Assert.Equal(2, attack.ExitCode);
        Assert.StartsWith($"error: {embeddings} does not match its checksum", attack.Errors);
        Assert.DoesNotContain("| MLP |", attack.Output);
        // Given directly, a file with a checksum beside it is checked too.
        using var direct = Client("attack", "--embeddings", embeddings, "--labels", Path.Combine(copy, "user_groups.txt"));
        Assert.Equal(2, direct.ExitCode);
        Assert.Contains("does not match its checksum", direct.Errors);
    }

    private static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);

    public void Dispose() => _temp.Dispose();
}
