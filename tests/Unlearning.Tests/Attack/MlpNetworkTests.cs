using TorchSharp;
using Unlearning.Attack;
using static TorchSharp.torch;

namespace Unlearning.Tests.Attack;

public class MlpNetworkTests
{
    private const int Dim = 3, Hidden = 4, Rows = 5;

    [Fact]
    public void BackpropMatchesAutogradOfBceWithL2OnWeightsOnly()
    {
        using var scope = torch.NewDisposeScope();
        var network = MlpNetwork.GlorotUniform(Dim, Hidden, new Random(1));
        var x = torch.randn(Rows, Dim, generator: new Generator(2));
        var y = torch.tensor(new float[] { 1, 0, 0, 1, 1 }, [Rows, 1]);
        const double alpha = 3.0;

        var gradient = torch.zeros_like(network.Parameters);
        network.Backprop(x, y, alpha, gradient);

        var p = network.Parameters.clone().requires_grad_();
        var w1 = p.narrow(0, 0, Dim * Hidden).view(Dim, Hidden);
        var w2 = p.narrow(0, Dim * Hidden, Hidden).view(Hidden, 1);
        var b1 = p.narrow(0, Dim * Hidden + Hidden, Hidden);
        var b2 = p.narrow(0, Dim * Hidden + 2 * Hidden, 1);
        var logits = (x.mm(w1) + b1).relu().mm(w2) + b2;
        var loss = nn.functional.binary_cross_entropy_with_logits(logits, y)
                   + alpha / (2 * Rows) * (w1.pow(2).sum() + w2.pow(2).sum());
        loss.backward();
        Assert.True(gradient.allclose(p.grad!, rtol: 1e-4, atol: 1e-6));
    }

    [Fact]
    public void BackpropMatchesAutogradOfSoftmaxCrossEntropyForSeveralGroups()
    {
        const int groups = 3;
        using var scope = torch.NewDisposeScope();
        var network = MlpNetwork.GlorotUniform(Dim, Hidden, new Random(1), groups);
        var x = torch.randn(Rows, Dim, generator: new Generator(2));
        long[] labels = [2, 0, 1, 1, 2];
        var y = nn.functional.one_hot(torch.tensor(labels), groups).to_type(ScalarType.Float32);
        const double alpha = 3.0;

        var gradient = torch.zeros_like(network.Parameters);
        var lossSum = network.Backprop(x, y, alpha, gradient);

        var p = network.Parameters.clone().requires_grad_();
        var w1 = p.narrow(0, 0, Dim * Hidden).view(Dim, Hidden);
        var w2 = p.narrow(0, Dim * Hidden, Hidden * groups).view(Hidden, groups);
        var b1 = p.narrow(0, Dim * Hidden + Hidden * groups, Hidden);
        var b2 = p.narrow(0, Dim * Hidden + Hidden * groups + Hidden, groups);
        var logits = (x.mm(w1) + b1).relu().mm(w2) + b2;
        var crossEntropy = nn.functional.cross_entropy(logits, torch.tensor(labels));
        var loss = crossEntropy + alpha / (2 * Rows) * (w1.pow(2).sum() + w2.pow(2).sum());
        loss.backward();
        Assert.True(gradient.allclose(p.grad!, rtol: 1e-4, atol: 1e-6));
        Assert.Equal(crossEntropy.item<float>() * Rows, lossSum.item<float>(), 4);
        Assert.True(network.Probabilities(x).sum(1).allclose(torch.ones(Rows)));
    }

    [Fact]
    public void L2PenaltyChangesWeightGradientsOnly()
    {
        using var scope = torch.NewDisposeScope();
        var network = MlpNetwork.GlorotUniform(Dim, Hidden, new Random(1));
        var x = torch.randn(Rows, Dim, generator: new Generator(2));
        var y = torch.tensor(new float[] { 1, 0, 0, 1, 1 }, [Rows, 1]);
        var plain = torch.zeros_like(network.Parameters);
        var penalised = torch.zeros_like(network.Parameters);
        network.Backprop(x, y, 0, plain);
        network.Backprop(x, y, 2.0, penalised);

        int weights = Dim * Hidden + Hidden;
        var expected = network.Parameters.narrow(0, 0, weights) * (2.0 / Rows);
        Assert.True((penalised - plain).narrow(0, 0, weights).allclose(expected, rtol: 1e-4, atol: 1e-6));
        Assert.Equal(0, (penalised - plain).narrow(0, weights, Hidden + 1).abs().max().item<float>());
    }

    [Fact]
    public void GlorotBoundsFollowScikitLearnForReluNetworks()
    {
        using var scope = torch.NewDisposeScope();
        var p = MlpNetwork.GlorotUniform(32, 100, new Random(1)).Parameters;
        var w1 = p.narrow(0, 0, 3200).abs().max().item<float>();
        var w2 = p.narrow(0, 3200, 100).abs().max().item<float>();
        Assert.InRange(w1, 0.9 * Math.Sqrt(6.0 / 132), Math.Sqrt(6.0 / 132));
        Assert.InRange(w2, 0.9 * Math.Sqrt(6.0 / 101), Math.Sqrt(6.0 / 101));
    }
}
