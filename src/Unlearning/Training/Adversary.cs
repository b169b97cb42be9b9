using TorchSharp;
using TorchSharp.Modules;
using Unlearning.Losses;
using Unlearning.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Unlearning.Training;

/// <summary>Adv-InT's adversary: logits = W₂ ReLU(W₁ GRL_λ(e) + b₁) + b₂, with a gradient-reversal
/// layer of scale λ so that minimising its cross-entropy pushes the recommender to hide the attribute.</summary>
public sealed class Adversary : Module<Tensor, Tensor>
{
    private readonly Linear hidden, output;
    private readonly double _reversalScale;

    public Adversary(int inputDim, int hiddenDim, int groups, double reversalScale, Device device, Generator generator) : base("Adversary")
    {
        hidden = Linear(inputDim, hiddenDim);
        output = Linear(hiddenDim, groups);
        using (no_grad())
            foreach (var layer in new[] { hidden, output })
            {
                // torch.nn.Linear's default: U(±1/sqrt(fan_in)) for weight and bias.
                double bound = 1 / Math.Sqrt(layer.in_features);
                layer.weight!.copy_(SeededInit.Uniform([layer.out_features, layer.in_features], bound, generator));
                layer.bias!.copy_(SeededInit.Uniform([layer.out_features], bound, generator));
            }
        _reversalScale = reversalScale;
        RegisterComponents();
        this.to(device);
    }

    public override Tensor forward(Tensor embeddings) =>
        output.forward(functional.relu(hidden.forward(GradientReversal.apply(embeddings, _reversalScale))));
}
