using Unlearning.Experiments;
using Unlearning.Training;
using static TorchSharp.torch;

namespace Unlearning.Tests.Engine;

/// <summary><c>unlearning.request_fraction</c> as a setting: 1 (the paper's) is no setting at all, a value
/// outside (0, 1] is refused naming it, a method without a partial form is refused rather than run
/// with every user, and the unlearner will not run a fraction without its requesters (or the reverse).</summary>
public sealed class PartialRequestSettingTests
{
    [Fact]
    public void OneIsThePapersSettingAndChangesNoHashAndLessIsOneSettingSharingTheOriginal()
    {
        Assert.Contains("unlearning.request_fraction", CellHash.Extensions);
        Assert.Equal("paper", ProfileSettings.Compose("paper", ["unlearning.request_fraction=1"]));
        var partial = ProfileSettings.Compose("paper", ["unlearning.request_fraction=0.3"]);
        Assert.Equal("paper;unlearning.request_fraction=0.3", partial);
        var spec = new CellSpec("synthetic-small", "ncf", "d2d", partial).Validate();
        Assert.Equal("paper", spec.OriginalCell.Profile);
        Assert.Null(UnlearningRequests.Of([0, 1, 0], 1, seed: 1));
        int[] groups = [0, 1, 0, 1, 0, 0, 1, 0];
        Assert.Equal(UnlearningRequests.Draw(groups, 0.5, seed: 1), UnlearningRequests.Of(groups, 0.5, seed: 1));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1.5")]
    [InlineData("-0.2")]
    public void AFractionOutsideZeroToOneIsRefusedWhereTheProfileIsRead(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => ProfileSettings.Compose("paper", [$"unlearning.request_fraction={value}"]));
        Assert.Equal($"setting unlearning.request_fraction needs a number above 0 and at most 1 (1: every user asks, the paper's setting), not '{value}'", e.Message);
        Assert.Contains("attack.disclosed_fraction", Assert.Throws<ArgumentException>(() => ProfileSettings.Compose("paper", ["attack.disclosed_fraction=1"])).Message);
    }

    [Theory]
    [InlineData("retrain")]
    [InlineData("adv")]
    public void AMethodThatTrainsOnItsOwnIsRefusedNotRunWithEveryUser(string method)
    {
        var e = Assert.Throws<ArgumentException>(() => new CellSpec("synthetic-small", "ncf", method, "tiny;unlearning.request_fraction=0.5").Validate());
        Assert.Contains("unlearning.request_fraction=0.5 applies to methods that unlearn from an Original (u2u, d2d, cr)", e.Message);
        Assert.Contains($"{method} trains with every user's attribute", e.Message);
        // The grid drops unused settings before it validates: refused there too, not run with every user.
        e = Assert.Throws<ArgumentException>(() => new CellSpec("synthetic-small", "ncf", method.ToUpperInvariant(), "tiny;unlearning.request_fraction=0.5").WithoutUnusedSettings());
        Assert.Contains("unlearning.request_fraction=0.5 applies to methods that unlearn from an Original", e.Message);
        // The Original a partial cell starts from drops the setting, as it does every unlearning setting.
        Assert.Equal("tiny", new CellSpec("synthetic-small", "ncf", "original", "tiny;unlearning.request_fraction=0.5").Validate().Profile);
        Assert.Equal("tiny", new CellSpec("synthetic-small", "ncf", "ORIGINAL", "tiny;unlearning.request_fraction=0.5").WithoutUnusedSettings().Profile);
    }

    [Fact]
    public void TablesSayWhoIsAttackedWhereOnlySomeAsked()
    {
        Assert.Contains("stratified 5-fold x 3 over all users, 30", TableLabels.AttackProtocol("paper;unlearning.request_fraction=0.3"));
        Assert.Contains("disclosed: trained on the users who did not ask to be forgotten, predicting the 30", TableLabels.AttackProtocol("paper;unlearning.request_fraction=0.3;attack.threat=disclosed"));
        Assert.Equal("stratified 5-fold x 3", TableLabels.AttackProtocol("paper"));
    }

    /// <summary>A disclosed attack of requesters that some group could not have (every one of its
    /// balanced users asked) is refused before the Original is even trained.</summary>
    [Fact]
    public void AnImpossibleDisclosedSplitIsRefusedBeforeAnyWork()
    {
        using var temp = new Unlearning.Tests.Shared.TempFolder("partial-split-");
        var runner = new CellRunner(new EngineSettings { DataDir = temp.Path, OutDir = temp.Path, Device = "cpu" });
        var e = Assert.Throws<ArgumentException>(() => runner.Run(new CellSpec("synthetic-small", "ncf", "d2d", "tiny;unlearning.request_fraction=0.999;attack.threat=disclosed", 8)));
        Assert.Contains("unlearning.request_fraction leaves group", e.Message);
        Assert.Empty(Directory.EnumerateFiles(temp.Path, "result.json", SearchOption.AllDirectories));
    }

    [Fact]
    public void TheUnlearnerNeedsTheRequestersOfAFractionAndNoneWithout()
    {
        var data = EngineTestData.Create();
        using var model = TrainingTests.Create("ncf", data, 1);
        var requested = UnlearningRequests.Draw(data.UserGroup, 0.5, seed: 2);
        var e = Assert.Throws<ArgumentException>(() => new PostTrainingUnlearner(data, new UnlearningOptions { RequestFraction = 0.5 }, UnlearningLoss.UserToUser).Unlearn(model));
        Assert.Contains("unlearning.request_fraction=0.5 needs the users who asked", e.Message);
        e = Assert.Throws<ArgumentException>(() => new PostTrainingUnlearner(data, new UnlearningOptions(), UnlearningLoss.UserToUser, requested).Unlearn(model));
        Assert.Contains("unlearning.request_fraction is 1", e.Message);
        e = Assert.Throws<ArgumentException>(() => new PostTrainingUnlearner(data, new UnlearningOptions { RequestFraction = 0.5 }, UnlearningLoss.UserToUser, requested[1..]).Unlearn(model));
        Assert.Contains("request flags", e.Message);
    }

    [Fact]
    public void TheGroupIndexOfMembersNumbersTheirRowsWithinTheMembers()
    {
        var data = EngineTestData.Create();
        var members = UnlearningRequests.Draw(data.UserGroup, 0.5, seed: 4);
        using var index = new GroupIndex(data, CPU, members);
        var ids = Enumerable.Range(0, data.NumUsers).Where(u => members[u]).ToArray();
        for (int g = 0; g < data.NumGroups; g++)
            Assert.Equal(Enumerable.Range(0, ids.Length).Where(i => data.UserGroup[ids[i]] == g).Select(i => (long)i), index.Rows[g].data<long>().ToArray());
        using var perUser = arange(data.NumUsers, dtype: ScalarType.Int64).reshape(-1, 1);
        using var selected = index.Select(perUser);
        Assert.Equal(ids.Select(u => (long)u), selected.data<long>().ToArray());
        using var everyone = new GroupIndex(data, CPU);
        Assert.Same(perUser, everyone.Select(perUser));
        Assert.Null(everyone.Members);
    }
}
