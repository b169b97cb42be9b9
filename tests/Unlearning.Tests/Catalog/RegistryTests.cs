using Unlearning.Attack;
using Unlearning.Catalog;
using Unlearning.Experiments;
using Unlearning.Reporting;
using Unlearning.Training;

namespace Unlearning.Tests.Catalog;

/// <summary>The catalog: one lookup per kind that finds an entry by name, label or alias in any case
/// and fails listing the valid names; descriptors consistent with what they describe.</summary>
public class RegistryTests
{
    [Theory]
    [InlineData("NMF", "ncf")]
    [InlineData("neumf", "ncf")]
    [InlineData(" LightGCN ", "lightgcn")]
    public void AModelIsFoundByNameLabelOrAlias(string asked, string name) => Assert.Equal(name, Registry.Models.Get(asked).Name);

    [Theory]
    [InlineData("D2D-R", "d2d")]
    [InlineData("adv-int", "adv")]
    [InlineData("Original", "original")]
    [InlineData("CR-R", "cr")]
    public void AMethodIsFoundByNameLabelOrAlias(string asked, string name) => Assert.Equal(name, Registry.Methods.Get(asked).Name);

    /// <summary>"all" is the paper's grid: a method beyond the paper (CR-R) runs only where named.</summary>
    [Fact]
    public void AllMethodsAreThePapersFive()
    {
        Assert.Equal(["original", "u2u", "d2d", "retrain", "adv"], Registry.PaperGridMethods);
        var cr = Registry.Methods.Get("cr");
        Assert.False(cr.InPaperGrid);
        Assert.Equal((UnlearningLoss?)UnlearningLoss.CodingRate, cr.Loss);
        Assert.Equal("original", cr.StartsFrom);
    }

    [Fact]
    public void AnUnknownNameFailsListingTheValidOnesAndNothingFallsBack()
    {
        Assert.Equal("unknown model 'svd' (expected one of: ncf, lightgcn)", Assert.Throws<ArgumentException>(() => Registry.Models.Get("svd")).Message);
        Assert.Equal("unknown method 'forget' (expected one of: original, u2u, d2d, retrain, adv, cr)", Assert.Throws<ArgumentException>(() => Registry.Methods.Get("forget")).Message);
        Assert.Equal("unknown attacker 'svm' (expected one of: mlp, tree, logistic, knn)", Assert.Throws<ArgumentException>(() => Registry.Attackers.Get("svm")).Message);
        // The switches that used to fall back to another name now fail naming it.
        Assert.Throws<ArgumentException>(() => new CellSpec("ml-100k", "ncf", "forget").NeedsOriginal);
        Assert.Throws<ArgumentException>(() => CellRunner.CreateModel("svd", null!, ExperimentProfile.Get("paper"), TorchSharp.torch.CPU, new TorchSharp.torch.Generator(1)));
        Assert.Throws<ArgumentException>(() => CellRunner.Attack(1, ExperimentProfile.Get("tiny"), UserLabels.FromValues(["m", "f"]), new float[2], 1, _ => { }, default, ["svm"]));
        // A dataset the catalog does not know is a custom folder, never another dataset.
        Assert.True(Registry.Dataset("my-data").IsCustom);
        Assert.Equal("my-data", TableLabels.Dataset("my-data"));
    }

    [Fact]
    public void EveryMethodEitherTrainsOrUnlearnsFromAMethodThatTrains()
    {
        foreach (var method in Registry.Methods.All)
        {
            Assert.True((method.Regime is null) != (method.Loss is null), $"{method.Name}: a regime or a loss, not both");
            Assert.Equal(method.Loss is not null, method.NeedsOriginal);
            if (method.StartsFrom is { } input) Assert.NotNull(Registry.Methods.Get(input).Regime);
            Assert.All(Registry.Models.Names, model => Assert.True(method.ReferenceSeconds.ContainsKey(model), $"{method.Name} has no reference time for {model}"));
        }
        // Every published Table 2 column is read (Retrain's seconds for NMF on ML-100K: 346).
        Assert.Equal(346, PaperTables.Published.Seconds("NMF", "ML-100K", "Retrain"));
        Assert.All(Registry.Methods.All.Where(m => m.PaperTable2Column is not null), m => Assert.NotNull(PaperTables.Published.Seconds("NMF", "ML-100K", m.Label)));
    }

    [Fact]
    public void AttackersAndModelsMatchTheirDescriptors()
    {
        foreach (var attacker in Registry.Attackers.All)
            Assert.Equal(attacker.Label, attacker.Create(attacker.Options.Default).Name);
        Assert.Equal(["mlp", "tree"], Registry.ProtocolAttackers.Select(a => a.Name));
        // Each section's settings are settings by name, with the descriptor's defaults.
        foreach (var section in Registry.DefaultSections.Keys)
            Assert.Contains(ProfileSettings.Keys, k => k.StartsWith(section + ".", StringComparison.Ordinal));
        Assert.Equal("100", ProfileSettings.ValueOf("paper", "logistic_attacker.max_iterations"));
    }

    [Fact]
    public void EveryDatasetCanBeReadOrGenerated()
    {
        foreach (var dataset in Registry.Datasets.All)
        {
            Assert.True(dataset.IsGenerated != (dataset.Read is not null), $"{dataset.Name}: read from files or generated");
            Assert.Equal(dataset.IsGenerated, dataset.Files.Count == 0);
            Assert.NotNull(dataset.Shape);
            if (dataset.StandIn is { } standIn) Assert.True(Registry.Datasets.Get(standIn).IsGenerated);
        }
        Assert.Equal(["ml-100k", "ml-1m", "lfm-2b"], Registry.Datasets.All.Where(d => d.InPaperGrid).Select(d => d.Name));
    }
}
