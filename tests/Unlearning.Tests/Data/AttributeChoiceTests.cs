using Unlearning.Data;
using Unlearning.Experiments;

namespace Unlearning.Tests.Data;

/// <summary>A dataset that cannot make the asked attribute the private one refuses it, naming the
/// attributes it has, before any work: it never trains and attacks gender under another label.</summary>
public class AttributeChoiceTests
{
    [Theory]
    [InlineData("synthetic-small", "age", "dataset 'synthetic-small' has no attribute 'age' (data.attribute_column / --attribute): it has only gender")]
    [InlineData("lfm-2b-synthetic", "occupation", "dataset 'lfm-2b-synthetic' has no attribute 'occupation' (data.attribute_column / --attribute): it has only gender")]
    [InlineData("lfm-2b", "age", "dataset 'lfm-2b' has no attribute 'age' (data.attribute_column / --attribute): it has only gender")]
    [InlineData("ml-100k", "hair", "dataset 'ml-100k' has no attribute 'hair' (data.attribute_column / --attribute): it has only gender, age, occupation")]
    public void ADatasetRefusesAnAttributeItDoesNotHave(string dataset, string attribute, string message)
    {
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => new Unlearning.Experiments.CellSpec(dataset, "ncf", "original", $"tiny;data.attribute_column={attribute}").Validate()).Message);
        // The loader refuses it too, before it reads or generates anything.
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => DatasetLoader.Load(dataset, "/nonexistent", new DataOptions { AttributeColumn = attribute })).Message);
    }

    [Theory]
    [InlineData("synthetic-small", "gender")]
    [InlineData("ml-1m", "age")]
    [InlineData("my-own-data", "hair")] // a custom dataset's attributes.csv header decides, when it is read
    public void AnAttributeTheDatasetHasIsAccepted(string dataset, string attribute) =>
        Assert.Equal(dataset, new Unlearning.Experiments.CellSpec(dataset, "ncf", "original", $"tiny;data.attribute_column={attribute}").Validate().Dataset);
}
