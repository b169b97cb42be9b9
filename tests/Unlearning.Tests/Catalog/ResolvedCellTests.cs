using Unlearning.Catalog;
using Unlearning.Experiments;

namespace Unlearning.Tests.Catalog;

public sealed class ResolvedCellTests
{
    [Fact]
    public void NamesInAnyFormResolveToTheCatalogsEntriesAndTheProfilesSettings()
    {
        var cell = ResolvedCell.Of(new CellSpec(" ML-100K ", "NeuMF", "D2D", "tiny;unlearning.steps=7", 5));
        Assert.Equal(new CellSpec("ml-100k", "ncf", "d2d", cell.Spec.Profile, 5), cell.Spec);
        Assert.Same(Registry.Models.Get("ncf"), cell.Model);
        Assert.Same(Registry.Methods.Get("d2d"), cell.Method);
        Assert.Equal("ml-100k", cell.Dataset.Name);
        Assert.Equal(7, cell.Profile.Unlearning.Steps);
        Assert.Equal(ExperimentProfile.Get(cell.Spec.Profile), cell.Profile);
    }

    [Fact]
    public void AnUnknownNameIsRefusedListingTheValidOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => ResolvedCell.Of(new CellSpec("ml-100k", "ncf", "d2dr")));
        Assert.Contains("'d2dr'", error.Message);
        Assert.Contains("u2u", error.Message);
    }
}
