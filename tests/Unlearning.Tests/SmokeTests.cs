namespace Unlearning.Tests;
public class SmokeTests
{
    [Fact]
    public void TorchLoads() => Assert.Equal(4, TorchSharp.torch.ones(2, 2).sum().item<float>());
}
