using TorchSharp.Modules;
using Unlearning.Tests.Models;
using Unlearning.Util;
using static TorchSharp.torch;

namespace Unlearning.Tests.Engine;

public class AdamTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OurAdamsFollowTorchSharpsAdam(bool fusedOnCpu)
    {
        var generator = new Generator(1);
        using var target = randn([50, 7], generator: generator);
        var init = randn([50, 7], generator: generator);
        var a = new Parameter(init.clone());
        var b = new Parameter(init.clone());
        using var fused = AdamOptimizer.Create([a], 1e-2, allowFused: fusedOnCpu);
        using var reference = new ReferenceAdam([b], 1e-2);
        Assert.IsType(fusedOnCpu ? typeof(FusedCpuAdam) : typeof(TensorAdam), fused);
        for (int step = 0; step < 200; step++)
        {
            foreach (var (p, opt) in new (Parameter, IAdam)[] { (a, fused), (b, reference) })
            {
                using var scope = NewDisposeScope();
                opt.ZeroGrad();
                p.sub(target).pow(3).abs().sum().backward();
                opt.Step();
            }
        }
        ModelTests.AssertClose(a, b, 1e-4);
        Assert.True(a.sub(init).abs().max().item<float>() > 0.5, "parameters should have moved");
    }

    /// <summary>TorchSharp's own Adam, the reference.</summary>
    private sealed class ReferenceAdam(IReadOnlyList<Parameter> parameters, double lr) : IAdam
    {
        private readonly optim.Optimizer _optimizer = optim.Adam(parameters, lr);
        public void ZeroGrad() => _optimizer.zero_grad();
        public void Step() => _optimizer.step();
        public AdamState Export() => throw new NotSupportedException();
        public void Import(AdamState state) => throw new NotSupportedException();
        public void Dispose() => _optimizer.Dispose();
    }
}
