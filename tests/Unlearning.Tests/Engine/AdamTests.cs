using TorchSharp.Modules;
using Unlearning.Tests.Models;
using Unlearning.Util;
using static TorchSharp.torch;

namespace Unlearning.Tests.Engine;

public class AdamTests
{
    [Fact]
    public void FusedCpuAdamFollowsTorchAdam()
    {
        var generator = new Generator(1);
        using var target = randn([50, 7], generator: generator);
        var init = randn([50, 7], generator: generator);
        var a = new Parameter(init.clone());
        var b = new Parameter(init.clone());
        using var fused = AdamOptimizer.Create([a], 1e-2);
        using var reference = new TorchAdam([b], 1e-2);
        Assert.IsType<FusedCpuAdam>(fused);
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
}
