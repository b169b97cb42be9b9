using Unlearning.Plots;

namespace Unlearning.Tests.Reporting;

/// <summary>The utility/privacy plane names on each point only the settings the points differ in:
/// one that every point shares names nothing, and a point at the base profile's values says so.</summary>
public sealed class ParetoLabelTests
{
    [Fact]
    public void OnlyTheSettingsThePointsDifferInAreNamed()
    {
        string[] profiles =
        [
            "paper;attack.ladder=true",
            "paper;attack.ladder=true;unlearning.target=full",
            "paper;attack.ladder=true;unlearning.request_fraction=0.3",
        ];
        var varied = ParetoPlot.Varied(profiles);
        Assert.Equal(["unlearning.request_fraction", "unlearning.target"], varied);
        Assert.Equal("base settings", ParetoPlot.Label(profiles[0], varied));
        Assert.Equal("target=full", ParetoPlot.Label(profiles[1], varied));
        Assert.Equal("request_fraction=0.3", ParetoPlot.Label(profiles[2], varied));
        // A sweep names its values on every point but the base one.
        Assert.Equal(["unlearning.trade_off"], ParetoPlot.Varied(["paper;unlearning.trade_off=0.01", "paper;unlearning.trade_off=0.0001"]));
        Assert.Empty(ParetoPlot.Varied(["paper;attack.ladder=true", "paper;attack.ladder=true"]));
    }
}
