using System.Globalization;
using Unlearning.Experiments;
using Unlearning.Tests.Shared;
using Unlearning.Training;

namespace Unlearning.Tests.Programs;

/// <summary>A cell with partial requests (<c>unlearning.request_fraction</c>): it starts from the plain
/// Original, stores the non-requesters' rows as they were, attacks the requesters under the disclosed
/// threat with an attacker trained on the others, and <c>attack --cell</c> finds the same requesters
/// again from the stored cell; a method without a partial form is refused with exit 2.</summary>
[Trait("Category", "EndToEnd")]
public sealed class PartialRequestCommandTests : IDisposable
{
    private readonly TempFolder _temp = new("partial-cli-");

    public void Dispose() => _temp.Dispose();

    private static ChildProcess Client(params string[] args) => ChildProcess.RunClient(TimeSpan.FromMinutes(4), args);

    [Fact]
    public void APartialCellMovesOnlyRequestersAndItsStoredAttackPredictsThem()
    {
        var runner = new CellRunner(new EngineSettings { DataDir = _temp.Path, OutDir = _temp.Path, Device = "cpu" });
        var cell = runner.Run(new CellSpec("synthetic-small", "ncf", "d2d", "tiny;unlearning.request_fraction=0.4;attack.threat=disclosed", 8));
        var original = runner.Run(cell.Cell.OriginalCell, reuseFinished: true);
        Assert.Equal("tiny;attack.threat=disclosed", original.Cell.Profile);
        Assert.Equal(original.ConfigHash, cell.OriginalConfigHash);

        var labels = UserLabels(cell);
        var requested = UnlearningRequests.Draw(labels.Group, 0.4, 8);
        var (before, after) = (NpyFile.Read(original.EmbeddingsPath), NpyFile.Read(cell.EmbeddingsPath));
        int dim = after.Cols;
        for (int u = 0; u < labels.Count; u++)
        {
            bool same = before.Values.AsSpan(u * dim, dim).SequenceEqual(after.Values.AsSpan(u * dim, dim));
            Assert.True(same != requested[u], $"user {u}: asked {requested[u]}, rows unchanged {same}");
        }

        // Its Table 3 is the disclosed attack of the requesters (one split per repeat), not of a public share of everyone.
        var profile = ExperimentProfile.Get(cell.Cell.Profile);
        List<Unlearning.Attack.AttackReport> Attack(bool[]? asked) => CellRunner.Attack(8, profile, labels with { Requested = asked }, after.Values, dim, _ => { }, default);
        var ofRequesters = Attack(requested);
        Assert.Equal(cell.Attacks.Select(a => a.Mean.Auc), ofRequesters.Select(a => a.Mean.Auc));
        Assert.All(cell.Attacks, a => Assert.Equal(profile.Attack.Repeats, a.Folds));
        Assert.NotEqual(cell.Attacks.Select(a => a.Mean.Auc), Attack(null).Select(a => a.Mean.Auc));

        using var attack = Client("attack", "--cell", Path.GetDirectoryName(cell.ResultPath)!, "--view", "attacked");
        Assert.True(attack.ExitCode == 0, attack.Printed);
        Assert.True(attack.Output.Contains("trained on the users who did not ask to be forgotten, predicting the 40", StringComparison.Ordinal), attack.Output);
        foreach (var report in cell.Attacks)
            Assert.Contains($"| {F(report.Mean.Auc)} ± {F(report.Std.Auc)} |", attack.Output.Split('\n').Single(l => l.StartsWith("| attacked", StringComparison.Ordinal) && l.Contains($"| {report.Attacker} |")));

        // Another base profile does not lose the cell's requesters, and the ladder's disclosed rungs say whom they predict.
        using var ladder = Client("attack", "--cell", cell.ResultPath, "--profile", "tiny", "--ladder", "--attackers", "logistic", "--view", "attacked");
        Assert.True(ladder.ExitCode == 0, ladder.Printed);
        Assert.True(ladder.Output.Contains("disclosed: trained on the users who did not ask to be forgotten, predicting the 40", StringComparison.Ordinal), ladder.Output);
    }

    [Fact]
    public void ARetrainWithPartialRequestsIsRefusedBeforeAnyWork()
    {
        using var cell = Client("cell", "--dataset", "synthetic-small", "--model", "ncf", "--method", "retrain", "--profile", "tiny",
            "--set", "unlearning.request_fraction=0.5", "--data", _temp.Path, "--out", _temp.Sub("out"));
        Assert.Equal(2, cell.ExitCode);
        Assert.Contains("unlearning.request_fraction=0.5 applies to methods that unlearn from an Original", cell.Errors);
        Assert.DoesNotContain("   at ", cell.Errors);
        Assert.False(Directory.Exists(Path.Combine(_temp.Sub("out"), "cells")));
    }

    private static Unlearning.Attack.UserLabels UserLabels(CellResult cell) => Unlearning.Attack.UserLabels.Read(cell.UserGroupsPath!);

    private static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
}
