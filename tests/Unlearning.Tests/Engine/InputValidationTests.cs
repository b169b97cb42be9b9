using Unlearning.Experiments;
using Unlearning.Storage;

namespace Unlearning.Tests.Engine;

/// <summary>Names a user chooses are checked before anything is read or written: unknown models,
/// methods and profiles are listed with the valid ones, and dataset or run names cannot leave
/// their folder.</summary>
public class InputValidationTests
{
    [Theory]
    [InlineData("svd", "original", "paper", "unknown model 'svd' (expected one of: ncf, lightgcn)")]
    [InlineData("ncf", "forget", "paper", "unknown method 'forget' (expected one of: original, u2u, d2d, retrain, adv, cr)")]
    [InlineData("ncf", "original", "quick", "unknown profile 'quick' (expected one of: paper, fast, tiny)")]
    public void UnknownNamesListTheValidOnes(string model, string method, string profile, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => new CellSpec("ml-100k", model, method, profile).Validate()).Message);

    [Theory]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("/abs")]
    [InlineData("x..y")]
    [InlineData("")]
    public void DatasetNamesCannotLeaveTheDataFolder(string dataset)
    {
        var e = Assert.Throws<ArgumentException>(() => new CellSpec(dataset, "ncf", "original").Validate());
        Assert.StartsWith("dataset name", e.Message);
    }

    [Fact]
    public void TheDataLoaderRefusesNamesThatLeaveTheDataFolder() =>
        Assert.StartsWith("dataset name '../ml-100k' is not allowed",
            Assert.Throws<ArgumentException>(() => Unlearning.Experiments.DatasetLoader.Load("../ml-100k", Path.GetTempPath(), new Unlearning.Data.DataOptions())).Message);

    [Theory]
    [InlineData("../../tmp/x")]
    [InlineData("run/1")]
    [InlineData(".hidden")]
    public void RunIdsCannotLeaveTheRunsFolder(string run) =>
        Assert.StartsWith($"run id '{run}' is not allowed", Assert.Throws<ArgumentException>(() => SafeName.Check(run, "run id")).Message);

    [Fact]
    public void ArtifactPathsAreBuiltOnlyFromHashesAndFixedNames()
    {
        var store = new DirectoryArtifactStore(Path.GetTempPath());
        Assert.Contains("not a config hash", Assert.Throws<ArgumentException>(() => store.Read("../../etc", ArtifactNames.Result)).Message);
        Assert.Contains("not an artifact name", Assert.Throws<ArgumentException>(() => store.Read(new string('a', 64), "../passwd")).Message);
    }
}
