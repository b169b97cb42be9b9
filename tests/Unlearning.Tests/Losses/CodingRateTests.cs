using Unlearning.Losses;
using static TorchSharp.torch;

namespace Unlearning.Tests.Losses;

/// <summary>The coding rates against an independent computation (the m x m form of the same
/// log-determinant, by Sylvester's identity, through torch's own logdet), and the loss's gradient
/// against its closed form α E (I + α EᵀE)⁻¹.</summary>
public sealed class CodingRateTests
{
    private const double Epsilon = 0.5;

    private static Tensor Embeddings(long m = 40, long d = 6, int seed = 3)
    {
        var generator = new Generator((ulong)seed);
        return randn(m, d, dtype: ScalarType.Float64, generator: generator).mul(0.3);
    }

    private static Tensor[] Groups(long m) => [arange(0, m / 3, dtype: ScalarType.Int64), arange(m / 3, m, dtype: ScalarType.Int64)];

    /// <summary>½ logdet(I_m + d / (m ε²) E Eᵀ): the m x m form, equal to the d x d one.</summary>
    private static double HalfLogDetDirect(Tensor e)
    {
        long m = e.shape[0], d = e.shape[1];
        var a = eye(m, dtype: ScalarType.Float64).add(e.matmul(e.t()).mul(d / (m * Epsilon * Epsilon)));
        return 0.5 * logdet(a).item<double>();
    }

    [Fact]
    public void TheRatesEqualTheDirectComputation()
    {
        var e = Embeddings();
        var groups = Groups(e.shape[0]);
        Assert.Equal(HalfLogDetDirect(e), CodingRate.Rate(e, Epsilon).item<double>(), 10);
        double direct = groups.Sum(g => (double)g.shape[0] / e.shape[0] * HalfLogDetDirect(e.index_select(0, g)));
        Assert.Equal(direct, CodingRate.GroupRate(e, groups, Epsilon).item<double>(), 10);
        // A premise: the rates differ, so a mix-up of R and R^c could not pass.
        Assert.True(Math.Abs(HalfLogDetDirect(e) - direct) > 0.05);
    }

    [Fact]
    public void TheLossGradientIsTheClosedForm()
    {
        var e = Embeddings().requires_grad_(true);
        var groups = Groups(e.shape[0]);
        const double lambda = 0.7;
        double rate = CodingRate.Rate(e.detach(), Epsilon).item<double>();
        double original = rate - 0.4; // R above b: the drift's sign is +1
        CodingRate.Loss(e, groups, Epsilon, lambda, original).backward();

        static Tensor HalfLogDetGradient(Tensor x)
        {
            long m = x.shape[0], d = x.shape[1];
            double alpha = d / (m * Epsilon * Epsilon);
            var a = eye(d, dtype: ScalarType.Float64).add(x.t().matmul(x).mul(alpha));
            return x.matmul(linalg.inv(a)).mul(alpha);
        }
        var x = e.detach();
        var expected = HalfLogDetGradient(x).mul(lambda);
        foreach (var g in groups)
        {
            var part = HalfLogDetGradient(x.index_select(0, g)).mul((double)g.shape[0] / x.shape[0]);
            expected = expected.index_add(0, g, part, -1.0);
        }
        Assert.True(allclose(e.grad!, expected, rtol: 1e-9, atol: 1e-12), $"largest difference {(e.grad! - expected).abs().max().item<double>():G3}");
    }
}
