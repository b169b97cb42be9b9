using Unlearning.Experiments;
using Unlearning.Reporting;

namespace Unlearning.Tests.Reporting;

/// <summary>Swept values sort as numbers, wherever cells or rows are ordered by profile.</summary>
public class ProfileOrderTests
{
    [Theory]
    [InlineData("paper;unlearning.trade_off=8.03E-06", "paper;unlearning.trade_off=8.5E-05")]
    [InlineData("paper;unlearning.trade_off=8.5E-05", "paper;unlearning.trade_off=1e-4")]
    [InlineData("paper;unlearning.trade_off=0.1", "paper;unlearning.trade_off=0.5")]
    [InlineData("paper;unlearning.trade_off=0.5", "paper;unlearning.trade_off=10")]
    [InlineData("paper;training.epochs=2", "paper;training.epochs=10")]
    [InlineData("paper;unlearning.trade_off=-1", "paper;unlearning.trade_off=0")]
    [InlineData("paper;ncf.mlp_layers=64,32", "paper;ncf.mlp_layers=128,64")]
    // The second setting decides where the first is equal.
    [InlineData("paper;training.epochs=5;unlearning.trade_off=2", "paper;training.epochs=5;unlearning.trade_off=10")]
    // A prefix first; text ordinally where no number differs.
    [InlineData("paper", "paper;unlearning.trade_off=0.1")]
    [InlineData("fast", "paper")]
    public void NumbersCompareByValue(string smaller, string larger)
    {
        Assert.True(ProfileOrder.Instance.Compare(smaller, larger) < 0, $"{smaller} < {larger}");
        Assert.True(ProfileOrder.Instance.Compare(larger, smaller) > 0, $"{larger} > {smaller}");
    }

    [Fact]
    public void ASweepSortsByItsValuesAndTheOrderIsTotal()
    {
        string[] values = ["1e-4", "8.5E-05", "10", "0.5", "8.03E-06", "0.1", "1", "0.0001", "2", "1E-06"];
        var sorted = values.Select(v => $"paper;unlearning.trade_off={v}").Order(ProfileOrder.Instance).Select(p => p.Split('=')[1]).ToList();
        // Equal values written differently ("0.0001", "1e-4") are told apart by their text, the same way each time.
        Assert.Equal(["1E-06", "8.03E-06", "8.5E-05", "0.0001", "1e-4", "0.1", "0.5", "1", "2", "10"], sorted);
        Assert.Equal(0, ProfileOrder.Instance.Compare("paper;unlearning.trade_off=0.1", "paper;unlearning.trade_off=0.1"));
        Assert.NotEqual(0, ProfileOrder.Instance.Compare("paper;unlearning.trade_off=0.0001", "paper;unlearning.trade_off=1e-4"));
        // Antisymmetric and transitive on a mixed set.
        string[] mixed = ["a-1", "a-2", "a+3", "a,1", "a.5", "a0.5", "a10", "a9", "a/", "a", "b", "lfm-2b", "ml-100k", "ml-1m", "x=-3", "x=+3", "x=3"];
        foreach (var x in mixed)
            foreach (var y in mixed)
            {
                Assert.Equal(Math.Sign(ProfileOrder.Instance.Compare(x, y)), -Math.Sign(ProfileOrder.Instance.Compare(y, x)));
                foreach (var z in mixed)
                    if (ProfileOrder.Instance.Compare(x, y) < 0 && ProfileOrder.Instance.Compare(y, z) < 0)
                        Assert.True(ProfileOrder.Instance.Compare(x, z) < 0, $"{x} < {y} < {z}");
            }
    }

    /// <summary>The report's rows of a sweep come in the order of the swept values, not of their text.</summary>
    [Fact]
    public void TheReportsRowsFollowTheSweptValues()
    {
        string[] values = ["8.5E-05", "1E-05", "0.0001", "8.03E-06"];
        var md = new GridReport(values.Select(v =>
            new ReportCell(new CellSpec("ml-100k", "ncf", "d2d", $"paper;unlearning.trade_off={v}"), null)).ToList()).Markdown();
        var table1 = md[..md.IndexOf("## Table 2", StringComparison.Ordinal)];
        int At(string v) => table1.IndexOf($"[unlearning.trade_off={v}]", StringComparison.Ordinal);
        Assert.True(At("8.03E-06") >= 0 && At("8.03E-06") < At("1E-05") && At("1E-05") < At("8.5E-05") && At("8.5E-05") < At("0.0001"), table1);
    }
}
