using Unlearning.Experiments;
using Unlearning.Tests.Behaviour;
using Unlearning.Training;
using static TorchSharp.torch;

namespace Unlearning.Tests.Engine;

/// <summary><c>unlearning.term_sample</c>: each step's term is taken over a fresh sample of each group's
/// rows, the same for the same step (so a resumed run draws alike); at 1 it is every row, as before.</summary>
public sealed class TermSampleTests
{
    [Fact]
    public void EachStepSamplesItsShareOfEveryGroupTheSameForTheSameStep()
    {
        using var a = tensor(Enumerable.Range(0, 40).Select(i => (long)(3 * i)).ToArray());
        using var b = tensor(Enumerable.Range(0, 10).Select(i => (long)(3 * i + 1)).ToArray());
        Tensor[] groups = [a, b];
        Assert.Same(a, TermSample.Rows(groups, 1, step: 5)[0]);
        long[] Values(Tensor t) => t.data<long>().ToArray();
        var first = TermSample.Rows(groups, 0.3, step: 5);
        Assert.Equal([12, 3], first.Select(t => t.shape[0]));
        for (int g = 0; g < 2; g++)
        {
            Assert.Subset(Values(groups[g]).ToHashSet(), Values(first[g]).ToHashSet());
            Assert.Equal(Values(first[g]).Length, Values(first[g]).Distinct().Count());
            Assert.Equal(Values(first[g]), Values(TermSample.Rows(groups, 0.3, step: 5)[g]));
        }
        Assert.NotEqual(Values(first[0]), Values(TermSample.Rows(groups, 0.3, step: 6)[0]));
        Assert.Equal(2, TermSample.Rows(groups, 0.01, step: 1)[1].shape[0]);
    }

    [Fact]
    public void TheTermIsTheMmdOfTheStepsSample()
    {
        var data = EngineTestData.Create();
        using var model = TrainingTests.Create("ncf", data, 1);
        var e = Leakage.Embeddings(model);
        using var index = new GroupIndex(data, CPU);
        var sampled = new bool[data.NumUsers];
        foreach (var rows in TermSample.Rows(index.Rows, 0.5, step: 1))
            foreach (var u in rows.data<long>().ToArray()) sampled[u] = true;
        double expected = Leakage.Mmd(e, model.AttackedDim, data, sampled), everyone = Leakage.Mmd(e, model.AttackedDim, data);
        var outcome = new PostTrainingUnlearner(data, new UnlearningOptions { Steps = 1, EvaluateEvery = 1, TermSample = 0.5 }, UnlearningLoss.DistributionToDistribution).Unlearn(model);
        Assert.Equal(expected, outcome.Checkpoints[0].Distinguishability, 1e-4 * expected);
        Assert.True(Math.Abs(everyone - expected) > 0.01 * expected, $"premise: the two terms should differ ({everyone:G4} and {expected:G4})");
    }

    [Fact]
    public void OneIsThePapersAndAShareOutsideZeroToOneIsRefused()
    {
        Assert.Equal("paper", ProfileSettings.Compose("paper", ["unlearning.term_sample=1"]));
        Assert.Equal("paper;unlearning.term_sample=0.3", ProfileSettings.Compose("paper", ["unlearning.term_sample=0.3"]));
        Assert.Contains("unlearning.term_sample needs a number above 0 and at most 1", Assert.Throws<ArgumentException>(() => ProfileSettings.Compose("paper", ["unlearning.term_sample=0"])).Message);
        Assert.Contains("unlearning.term_sample needs a number above 0 and at most 1", Assert.Throws<ArgumentException>(() => ProfileSettings.Compose("paper", ["unlearning.term_sample=1.2"])).Message);
    }
}
