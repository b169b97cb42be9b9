using Unlearning.Losses;
using Unlearning.Tests.Models;
using static TorchSharp.torch;

namespace Unlearning.Tests.Losses;

public class LossTests
{
    [Fact]
    public void U2UClosedFormEqualsDenseLaplacianTrace()
    {
        var generator = new Generator(3);
        using var embeddings = randn([37, 8], generator: generator, dtype: float64);
        var groups = Enumerable.Range(0, 37).Select(i => i % 4 == 0 ? 1 : 0).ToArray();
        using var g0 = tensor(groups.Select((g, i) => (g, i)).Where(x => x.g == 0).Select(x => (long)x.i).ToArray());
        using var g1 = tensor(groups.Select((g, i) => (g, i)).Where(x => x.g == 1).Select(x => (long)x.i).ToArray());
        var closed = U2ULoss.Compute(embeddings, g0, g1).item<double>();
        var dense = U2ULoss.DenseLaplacianForm(embeddings, groups).item<double>();
        Assert.Equal(dense, closed, 1e-8 * Math.Abs(dense));
        // And the definition: sum over all cross-group pairs of squared distances.
        double pairs = 0;
        var e = embeddings.data<double>().ToArray();
        for (int i = 0; i < 37; i++)
            for (int j = 0; j < 37; j++)
                if (groups[i] == 0 && groups[j] == 1)
                    for (int d = 0; d < 8; d++) pairs += Math.Pow(e[i * 8 + d] - e[j * 8 + d], 2);
        Assert.Equal(pairs, closed, 1e-8 * pairs);
    }

    /// <summary>With k groups, U2U is the sum over every pair of groups: the Laplacian form of the
    /// complete k-partite graph (here 3 groups of an attribute such as age).</summary>
    [Fact]
    public void U2UOverSeveralGroupsIsTheCompleteMultipartiteGraphsForm()
    {
        var generator = new Generator(7);
        using var embeddings = randn([41, 5], generator: generator, dtype: float64);
        var groups = Enumerable.Range(0, 41).Select(i => i % 5 == 0 ? 2 : i % 3 == 0 ? 1 : 0).ToArray();
        var rows = Enumerable.Range(0, 3).Select(g => tensor(groups.Select((x, i) => (x, i)).Where(p => p.x == g).Select(p => (long)p.i).ToArray())).ToList();
        var closed = U2ULoss.AcrossGroups(embeddings, rows).item<double>();
        var dense = U2ULoss.DenseLaplacianForm(embeddings, groups).item<double>();
        Assert.Equal(dense, closed, 1e-8 * Math.Abs(dense));
        // Only the pairs with group 0 would leave out the 1-2 pairs.
        var withGroup0 = U2ULoss.Compute(embeddings, rows[0], rows[1]).item<double>() + U2ULoss.Compute(embeddings, rows[0], rows[2]).item<double>();
        Assert.True(closed > withGroup0 * 1.01, $"{closed} against {withGroup0}");
        // Two groups: exactly the one pair's value.
        Assert.Equal(U2ULoss.Compute(embeddings, rows[0], rows[1]).item<double>(), U2ULoss.AcrossGroups(embeddings, rows.Take(2).ToList()).item<double>());
        rows.ForEach(r => r.Dispose());
    }

    [Fact]
    public void FastMmdEqualsDirectFormulaAndItsGradient()
    {
        var generator = new Generator(5);
        using var s = randn([30, 6], generator: generator, dtype: float64).requires_grad_(true);
        using var t = randn([20, 6], generator: generator, dtype: float64).add(0.5).requires_grad_(true);
        var fast = MultiKernelMmd.Compute(s, t);
        var direct = MultiKernelMmd.ComputeDirect(s, t);
        Assert.Equal(direct.item<double>(), fast.item<double>(), 1e-9);
        var gFast = autograd.grad([fast], [s])[0];
        var gDirect = autograd.grad([direct], [s])[0];
        ModelTests.AssertClose(gFast, gDirect, 1e-9);
    }

    [Theory]
    [InlineData(30, 20, 6)]
    [InlineData(70, 45, 19)]
    public void FusedCpuMmdInFloat32EqualsDirectFormulaAndItsGradient(int ns, int nt, int dim)
    {
        var generator = new Generator(11);
        using var s64 = randn([ns, dim], generator: generator, dtype: float64);
        using var t64 = randn([nt, dim], generator: generator, dtype: float64).add(0.3);
        using var s = s64.to(float32).requires_grad_(true);
        using var t = t64.to(float32).requires_grad_(true);
        var fused = MultiKernelMmd.Compute(s, t);
        var direct = MultiKernelMmd.ComputeDirect(s64.requires_grad_(true), t64.requires_grad_(true));
        Assert.Equal(direct.item<double>(), fused.to(float64).item<double>(), 1e-5);
        var gFused = autograd.grad([fused], [s, t]);
        var gDirect = autograd.grad([direct], [s64, t64]);
        ModelTests.AssertClose(gFused[0].to(float64), gDirect[0], 1e-5);
        ModelTests.AssertClose(gFused[1].to(float64), gDirect[1], 1e-5);
    }

    /// <summary>Users pulled close together far from the origin (as U2U leaves them): distances from the
    /// Gram matrix would be rounding noise, and the bandwidth zero or wrong; both paths centre the rows
    /// first and agree with the direct formula in float64.</summary>
    [Fact]
    public void MmdOfClusteredRowsFarFromTheOriginIsExact()
    {
        var generator = new Generator(17);
        using var centre = randn([1, 8], generator: generator, dtype: float64).mul(3.0);
        using var x64 = randn([50, 8], generator: generator, dtype: float64).mul(1e-4).add(centre);
        var direct = MultiKernelMmd.ComputeDirect(x64.narrow(0, 0, 30), x64.narrow(0, 30, 20)).item<double>();
        using var x = x64.to(float32);
        var (fused, fusedGradient) = FusedCpuMmd.Compute(x, 30);
        var (tensors, tensorsGradient) = MmdWithGradient.ComputeWithTensors(x, 30);
        Assert.True(direct > 1e-3, $"the test needs a clear MMD, not {direct}");
        Assert.Equal(direct, fused.item<float>(), direct * 1e-3);
        Assert.Equal(direct, tensors.item<float>(), direct * 1e-3);
        ModelTests.AssertClose(fusedGradient, tensorsGradient, 1e-3 * fusedGradient.abs().max().item<float>());
    }

    /// <summary>Every row at one point: no bandwidth exists; the MMD is its limit 0, with a zero gradient, not NaN.</summary>
    [Fact]
    public void MmdOfCoincidentRowsIsZero()
    {
        using var x = ones(12, 4).mul(0.25);
        foreach (var (loss, gradient) in new[] { FusedCpuMmd.Compute(x, 5), MmdWithGradient.ComputeWithTensors(x, 5) })
        {
            Assert.Equal(0f, loss.item<float>());
            Assert.Equal(0f, gradient.abs().sum().item<float>());
        }
    }

    /// <summary>Taken in tiles on and above the diagonal (as for LFM-2B's 20k users), with one thread
    /// or several, the fused MMD gives the whole matrix's loss and gradient.</summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 1)]
    [InlineData(50, 1)]
    [InlineData(50, 2)]
    [InlineData(114, 2)]
    public void TilesGiveTheWholeMatrixsMmd(int tileRows, int threads)
    {
        var generator = new Generator(13);
        using var x = randn([115, 9], generator: generator, dtype: float32);
        int before = get_num_threads();
        try
        {
            set_num_threads(1);
            var (wholeLoss, wholeGradient) = FusedCpuMmd.Compute(x, 70);
            set_num_threads(threads);
            var (tiledLoss, tiledGradient) = FusedCpuMmd.Compute(x, 70, wholeMaxRows: 0, tileRows: tileRows);
            Assert.Equal(wholeLoss.item<float>(), tiledLoss.item<float>(), 1e-6);
            ModelTests.AssertClose(tiledGradient, wholeGradient, 1e-6);
        }
        finally
        {
            set_num_threads(before);
        }
    }

    /// <summary>The parallel passes give the same bits on one thread and on several.</summary>
    [Fact]
    public void TheFusedMmdDoesNotDependOnTheThreadCount()
    {
        var generator = new Generator(19);
        using var x = randn([300, 16], generator: generator, dtype: float32);
        int before = get_num_threads();
        try
        {
            set_num_threads(1);
            var (oneLoss, oneGradient) = FusedCpuMmd.Compute(x, 120, wholeMaxRows: 0, tileRows: 64);
            set_num_threads(Math.Max(2, Environment.ProcessorCount));
            var (manyLoss, manyGradient) = FusedCpuMmd.Compute(x, 120, wholeMaxRows: 0, tileRows: 64);
            Assert.Equal(oneLoss.item<float>(), manyLoss.item<float>());
            Assert.Equal(0.0, oneGradient.sub(manyGradient).abs().max().item<float>());
        }
        finally
        {
            set_num_threads(before);
        }
    }

    [Fact]
    public void MmdIsNearZeroForSameDistributionAndPositiveForShifted()
    {
        var generator = new Generator(9);
        using var a = randn([400, 4], generator: generator);
        using var b = randn([400, 4], generator: generator);
        using var c = randn([400, 4], generator: generator).add(1.5);
        double same = MultiKernelMmd.Compute(a, b).item<float>();
        double shifted = MultiKernelMmd.Compute(a, c).item<float>();
        Assert.InRange(same, -0.02, 0.02);
        Assert.True(shifted > 10 * Math.Abs(same) && shifted > 0.1, $"shifted {shifted}, same {same}");
    }

    [Fact]
    public void RankingMarginMatchesHandComputedValue()
    {
        // Row 1: pairs (3,2.9): max(0, 2.9-3+0.05)=0; (2.9,2.95): 0.05+0.05=0.1 → 0.1.
        // Row 2: (1,2): 1.05; (2,0): 0 → 1.05. Total 1.15.
        using var scores = tensor(new float[,] { { 3f, 2.9f, 2.95f }, { 1f, 2f, 0f } });
        Assert.Equal(1.15, RankingMarginLoss.Compute(scores, 0.05).item<float>(), 5);
    }

    [Fact]
    public void GradientReversalIsIdentityForwardAndNegatedScaledBackward()
    {
        using var x = tensor(new float[] { 1, -2, 3 }).requires_grad_(true);
        var y = GradientReversal.apply(x, 0.5);
        ModelTests.AssertClose(y, x);
        y.mul(tensor(new float[] { 1, 2, 3 })).sum().backward();
        ModelTests.AssertClose(x.grad!, tensor(new float[] { -0.5f, -1f, -1.5f }));
    }
}
