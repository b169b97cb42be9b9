using static TorchSharp.torch;
using static TorchSharp.torch.autograd;
using Unlearning.Util;

namespace Unlearning.Losses;

/// <summary>Gradient reversal (Ganin and Lempitsky 2015): identity forward, −scale · grad backward.
/// Call as <c>GradientReversal.apply(x, scale)</c>.</summary>
public sealed class GradientReversal : SingleTensorFunction<GradientReversal>
{
    public override string Name => "GradientReversal";

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var input = (Tensor)vars[0];
        ctx.save_data("scale", Convert.ToDouble(vars[1]));
        return input.view_as(input);
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor gradOutput)
    {
        var scale = (double)ctx.get_data("scale");
        // One gradient per input of apply(x, scale); the scale gets none.
        return [gradOutput.mul(Scalars.Of(-scale)), null!];
    }
}
