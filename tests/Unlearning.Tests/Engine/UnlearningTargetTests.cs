using Unlearning.Experiments;
using Unlearning.Models;
using Unlearning.Tests.Shared;
using Unlearning.Training;
using static TorchSharp.torch;

namespace Unlearning.Tests.Engine;

/// <summary><c>unlearning.target</c>: the default is the paper's path under the same hash; <c>full</c> is
/// one more setting; anything else is refused naming it before any work; a stored full cell keeps
/// every moved table, attacks the attacked table for Table 3 and gives <c>attack --view full</c> the
/// moved full representation.</summary>
public sealed class UnlearningTargetTests : IDisposable
{
    private readonly TempFolder _temp = new("target-");

    [Fact]
    public void TheDefaultTargetChangesNoHashAndFullIsOneSetting()
    {
        Assert.Contains("unlearning.target", CellHash.Extensions);
        var spec = new CellSpec("synthetic-small", "ncf", "d2d", "paper").Validate();
        Assert.DoesNotContain("target", CellHash.Canonical(spec, ExperimentProfile.Get("paper"), "data", CellRunner.EngineRevision));
        Assert.Equal("paper", ProfileSettings.Compose("paper", ["unlearning.target=attacked"]));
        var full = ProfileSettings.Compose("paper", ["unlearning.target=FULL"]);
        Assert.Equal("paper;unlearning.target=full", full);
        Assert.Equal(UnlearningTarget.Full, ExperimentProfile.Get(full).Unlearning.Target);
        Assert.Contains("\"Extensions\":\"unlearning.target=full\"", CellHash.Canonical(spec with { Profile = full }, ExperimentProfile.Get(full), "data", CellRunner.EngineRevision));
        // Both targets start from one Original.
        Assert.Equal("paper", (spec with { Profile = full }).OriginalCell.Profile);
    }

    [Fact]
    public void AnUnknownTargetIsRefusedNamingTheSettingBeforeAnyWork()
    {
        var e = Assert.Throws<ArgumentException>(() => ProfileSettings.Compose("paper", ["unlearning.target=both"]));
        Assert.Equal("setting unlearning.target needs one of attacked, full, not 'both'", e.Message);
        Assert.Throws<ArgumentException>(() => new CellSpec("synthetic-small", "ncf", "d2d", "tiny;unlearning.target=propagated").Validate());
        // Options made in code are checked where unlearning starts, before it computes anything.
        var data = EngineTestData.Create();
        using var model = TrainingTests.Create("ncf", data, 1);
        var before = model.TrainableParameters.Select(Unlearning.Util.TensorValues.Read).ToArray();
        var progress = 0;
        e = Assert.Throws<ArgumentException>(() => new PostTrainingUnlearner(data, new UnlearningOptions { Target = "everything" }, UnlearningLoss.UserToUser)
            .Unlearn(model, _ => progress++));
        Assert.Contains("unlearning.target", e.Message);
        Assert.Equal(0, progress);
        Assert.Equal(before, model.TrainableParameters.Select(Unlearning.Util.TensorValues.Read).ToArray());
    }

    /// <summary>The stored model holds every moved table, so the stored full view (what
    /// <c>attack --view full</c> reads) is the unlearned model's; the cell's own attack (Table 3) is on
    /// the attacked table, as the paper's protocol says.</summary>
    [Theory]
    [InlineData("ncf")]
    [InlineData("lightgcn")]
    public void AStoredFullCellKeepsEveryMovedTableAndAttacksTheAttackedOne(string kind)
    {
        var runner = new CellRunner(new EngineSettings { DataDir = _temp.Path, OutDir = _temp.Path, Device = "cpu" });
        var cell = runner.Run(new CellSpec("synthetic-small", kind, "d2d", "tiny;unlearning.target=full", 3));
        var original = RepresentationAttack.OriginalOf(cell, cell.ResultPath);
        var data = runner.LoadData("synthetic-small", ExperimentProfile.Get("tiny"));
        using var model = CellRunner.CreateModel(kind, data, ExperimentProfile.Get("tiny"), CPU, new Generator(99));
        model.Load(cell.ModelPath);

        var (stored, rows, dim) = NpyFile.Read(RepresentationAttack.ViewsOf(cell, RepresentationAttack.Full).Single().Path);
        using var full = model.FullUserRepresentation();
        Assert.Equal((data.NumUsers, (int)full.shape[1]), (rows, dim));
        Assert.Equal(Unlearning.Util.TensorValues.Read(full), stored);
        Assert.Equal(Unlearning.Util.TensorValues.Read(model.AttackedUserEmbedding), NpyFile.Read(cell.EmbeddingsPath).Values);
        // Premise: the full view moved away from the Original's, in the MLP table too for NCF (its last 128 columns).
        var before = NpyFile.Read(original.RepresentationPath!).Values;
        int moved = Enumerable.Range(0, stored.Length).Count(i => i % dim >= dim - (kind == "ncf" ? 128 : dim) && stored[i] != before[i]);
        Assert.True(moved > stored.Length / dim * (kind == "ncf" ? 128 : dim) / 2, $"{moved} values of the {(kind == "ncf" ? "MLP table" : "propagated embedding")} moved");

        var attacked = RepresentationAttack.Run(RepresentationAttack.ViewsOf(cell, RepresentationAttack.Attacked).Single(),
            Unlearning.Attack.UserLabels.Of(data), ExperimentProfile.Get(cell.Cell.Profile), cell.Cell.Seed, _ => { }, default);
        Assert.Equal(model.AttackedDim, attacked.Dim);
        Assert.Equal(cell.Attacks.Select(a => (a.Attacker, a.Mean)), attacked.Reports.Select(a => (a.Attacker, a.Mean)));
    }

    public void Dispose() => _temp.Dispose();
}
