using static TorchSharp.torch;
using Unlearning.Util;

namespace Unlearning.Models;

/// <summary>Propagates layer by layer with torch's sparse Â (large graphs on GPUs).</summary>
public sealed class SparseLightGcnPropagation(Tensor adjacency, int layers) : WholeGraphPropagation
{
    public override Tensor All(Tensor embeddings)
    {
        var sum = embeddings;
        var layer = embeddings;
        for (int l = 0; l < layers; l++)
        {
            layer = adjacency.matmul(layer);
            sum = sum.add(layer, Scalars.One);
        }
        return sum.div(Scalars.Of((double)(layers + 1)));
    }


    public override void Dispose() => adjacency.Dispose();
}
