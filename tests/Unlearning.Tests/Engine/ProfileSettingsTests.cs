using Unlearning.Tests.Shared;
using Unlearning.Experiments;

namespace Unlearning.Tests.Engine;

/// <summary>Every protocol number by name: one canonical expression per experiment, settings applied
/// and hashed, bad keys and values named, u2u / d2d sharing an original across unlearning settings.</summary>
public sealed class ProfileSettingsTests : IDisposable
{
    private readonly TempFolder _temp = new("settings-");
    private string _dir => _temp.Path;

    [Fact]
    public void OneExperimentHasOneCanonicalName()
    {
        const string expected = "paper;training.epochs=50;unlearning.trade_off=0.0001";
        Assert.Equal(expected, ProfileSettings.Compose("paper", ["unlearning.trade_off=1e-4", "training.epochs=50"]));
        Assert.Equal(expected, ProfileSettings.Compose(" Paper ", ["training.epochs = 50", "unlearning.au_trade_off=0.0001"]));
        Assert.Equal(expected, ProfileSettings.Compose("paper", ["training.epochs=3", "unlearning.trade_off=1e-4", "training.epochs=50"]));
        // A setting equal to the base profile's value changes nothing.
        Assert.Equal("paper", ProfileSettings.Compose("paper", ["training.epochs=25", "unlearning.trade_off=0.000001"]));
        Assert.Equal("fast", ProfileSettings.Compose("fast", ["training.epochs=5"]));
        Assert.Equal(expected, new CellSpec("ml-100k", "ncf", "u2u", "paper;unlearning.trade_off=0.0001;training.epochs=50").Validate().Profile);
    }

    [Fact]
    public void SettingsChangeTheProfileAndItsHash()
    {
        var profile = ExperimentProfile.Get("paper;training.epochs=50;unlearning.trade_off=1e-4;ncf.mlp_layers=64,32,16;data.min_interactions=10");
        var paper = ExperimentProfile.Get("paper");
        Assert.Equal(50, profile.Training.Epochs);
        Assert.Equal(1e-4, profile.Unlearning.TradeOff);
        Assert.Equal([64, 32, 16], ((Unlearning.Models.NeuMFOptions)profile.Section("ncf")).MlpLayers);
        Assert.Equal(10, profile.Data.MinInteractions);
        Assert.Equal(paper.Training with { Epochs = 50 }, profile.Training);
        Assert.Equal(paper.Attack, profile.Attack);
        Assert.Null(ExperimentProfile.Get("paper;data.min_interactions=10;data.min_interactions=none").Data.MinInteractions);
        Assert.True(profile.DeviatesFromPaper);
        Assert.False(paper.DeviatesFromPaper);

        var spec = new CellSpec("synthetic-small", "ncf", "d2d", profile.Name).Validate();
        Assert.NotEqual(CellRunner.ConfigHash(spec with { Profile = "paper" }, paper, "data"), CellRunner.ConfigHash(spec, profile, "data"));
        var same = new CellSpec("synthetic-small", "ncf", "d2d", "paper;data.min_interactions=10;ncf.mlp_layers=64, 32, 16;unlearning.trade_off=0.0001;training.epochs=50").Validate();
        Assert.Equal(CellRunner.ConfigHash(spec, ExperimentProfile.Get(spec.Profile), "data"), CellRunner.ConfigHash(same, ExperimentProfile.Get(same.Profile), "data"));
    }

    [Fact]
    public void TheDifferencesFromThePaperAreListed()
    {
        Assert.Empty(ProfileSettings.DifferencesFromPaper(ExperimentProfile.Get("paper")));
        Assert.Equal(["training.epochs=50 (paper 25)", "unlearning.trade_off=0.0001 (paper 1E-06)"],
            ProfileSettings.DifferencesFromPaper(ExperimentProfile.Get("paper;training.epochs=50;unlearning.trade_off=1e-4")));
        Assert.Contains("training.epochs=5 (paper 25)", ProfileSettings.DifferencesFromPaper(ExperimentProfile.Get("fast")));
    }

    [Theory]
    [InlineData("training.epoch=3", "unknown setting 'training.epoch' (valid: ")]
    [InlineData("epochs", "setting 'epochs' is not key=value")]
    [InlineData("training.epochs=ten", "setting training.epochs needs a whole number, not 'ten'")]
    [InlineData("training.epochs=0", "setting training.epochs needs a whole number of at least 1, not '0'")]
    [InlineData("training.learning_rate=0", "setting training.learning_rate needs a number above 0, not '0'")]
    [InlineData("unlearning.trade_off=-1", "setting unlearning.trade_off needs a number of at least 0, not '-1'")]
    [InlineData("unlearning.trade_off=NaN", "setting unlearning.trade_off needs a number, not 'NaN'")]
    [InlineData("ncf.mlp_layers=64,x", "setting ncf.mlp_layers needs whole numbers of at least 1, separated by commas, not '64,x'")]
    [InlineData("attack.seed=1", "unknown setting 'attack.seed'")]
    public void BadSettingsAreNamed(string setting, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => ProfileSettings.Compose("paper", [setting]));
        Assert.Contains(message, error.Message);
        if (message.StartsWith("unknown setting", StringComparison.Ordinal))
            foreach (var key in new[] { "training.epochs", "unlearning.trade_off", "ncf.mlp_layers", "lightgcn.layers", "mlp_attacker.hidden", "tree_attacker.number_of_trees" })
                Assert.Contains(key, error.Message);
        Assert.Contains("unknown profile 'papers'", Assert.Throws<ArgumentException>(() => ProfileSettings.Compose("papers", [])).Message);
        Assert.Equal("paper;training.negatives=0", ProfileSettings.Compose("paper", ["training.negatives=0"]));
    }

    /// <summary>The original a u2u / d2d cell starts from does not depend on the unlearning settings,
    /// so a sweep over them trains one original.</summary>
    [Fact]
    public void CellsThatDifferInUnlearningSettingsShareTheirOriginal()
    {
        var a = new CellSpec("ml-100k", "ncf", "d2d", "paper;unlearning.trade_off=0.01;training.epochs=3").Validate();
        var b = a with { Profile = ProfileSettings.Compose("paper", ["unlearning.trade_off=1", "unlearning.steps=100", "training.epochs=3"]) };
        Assert.NotEqual(a.Profile, b.Profile);
        Assert.Equal(a.OriginalCell, b.OriginalCell);
        Assert.Equal("paper;training.epochs=3", a.OriginalCell.Profile);
        Assert.Equal("original", a.OriginalCell.Method);
    }

    /// <summary>The shipped experiment of LightGCN's public-code training (docs/decisions.md,
    /// "LightGCN fidelity") names the settings that matched the published Table 1.</summary>
    [Fact]
    public void TheLightGcnPublicCodeExperimentIsBprWithDecayFor125Epochs()
    {
        var file = Path.Combine(Unlearning.Data.RepoPaths.RepoRoot!, "experiments", "lightgcn-public-code.json");
        var profile = ProfileSettings.Resolve(ProfileSettings.Compose("paper", ProfileSettings.FromFile(file)));
        Assert.Equal("paper;training.embedding_decay=0.0001;training.epochs=125;training.pairwise=true", profile.Name);
        Assert.True(profile.Training.Pairwise);
        Assert.Equal(1e-4, profile.Training.EmbeddingDecay);
        Assert.Equal(125, profile.Training.Epochs);
    }

    [Fact]
    public void AnExperimentFileHoldsTheSameKeys()
    {
        var file = Path.Combine(_dir, "exp.json");
        File.WriteAllText(file, """{ "training.epochs": 50, "unlearning.au_trade_off": 1e-4, "ncf.mlp_layers": [64, 32, 16], "data.attribute_column": "gender" }""");
        Assert.Equal("paper;data.attribute_column=gender;ncf.mlp_layers=64,32,16;training.epochs=50;unlearning.trade_off=0.0001",
            ProfileSettings.Compose("paper", ProfileSettings.FromFile(file)));

        File.WriteAllText(file, """{ "training.epochs": 50, "training.epoch": 3 }""");
        var unknown = Assert.Throws<ArgumentException>(() => ProfileSettings.FromFile(file));
        Assert.StartsWith($"{file}: unknown setting 'training.epoch'", unknown.Message);

        File.WriteAllText(file, "{\n  \"training.epochs\": 50,\n  oops\n}");
        Assert.StartsWith($"{file}: not JSON (line 3)", Assert.Throws<ArgumentException>(() => ProfileSettings.FromFile(file)).Message);

        File.WriteAllText(file, "[1, 2]");
        Assert.StartsWith($"{file}: an experiment file is a JSON object", Assert.Throws<ArgumentException>(() => ProfileSettings.FromFile(file)).Message);
    }

    /// <summary>A key given twice in one source is a mistake, never silently resolved (an alias is its key).</summary>
    [Fact]
    public void AKeyGivenTwiceInOneSourceIsRefused()
    {
        var file = Path.Combine(_dir, "twice.json");
        File.WriteAllText(file, """{ "training.epochs": 50, "unlearning.trade_off": 1e-4, "training.epochs": 5 }""");
        Assert.Equal($"{file}: the file sets training.epochs twice ('training.epochs=50' and 'training.epochs=5'); give it once",
            Assert.Throws<ArgumentException>(() => ProfileSettings.FromFile(file)).Message);
        File.WriteAllText(file, """{ "unlearning.trade_off": 1e-4, "unlearning.au_trade_off": 1e-2 }""");
        Assert.Contains("sets unlearning.trade_off twice", Assert.Throws<ArgumentException>(() => ProfileSettings.FromFile(file)).Message);

        Assert.Contains("--set sets training.epochs twice", Assert.Throws<ArgumentException>(() => ProfileSettings.RequireDistinctKeys(["training.epochs=1", "Training.Epochs=2"], "--set")).Message);
        ProfileSettings.RequireDistinctKeys(["training.epochs=1", "unlearning.steps=2"], "--set");
    }

    public void Dispose() => _temp.Dispose();
}
