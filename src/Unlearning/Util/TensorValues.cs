using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Unlearning.Util;

/// <summary>Parameter values as plain float arrays (checkpoints) and back, on any device.</summary>
public static class TensorValues
{
    public static float[] Read(Tensor t)
    {
        using var _ = no_grad();
        using var cpu = t.detach().cpu().contiguous();
        return cpu.data<float>().ToArray();
    }

    public static void Write(Tensor target, float[] values)
    {
        if (values.LongLength != target.numel())
            throw new InvalidDataException($"checkpoint holds {values.LongLength} values for a tensor of {target.numel()} ({string.Join("x", target.shape)})");
        using var _ = no_grad();
        using var source = tensor(values).reshape(target.shape);
        target.copy_(source);
    }

    public static float[][] ReadAll(IEnumerable<Tensor> tensors) => tensors.Select(Read).ToArray();

    public static void WriteAll(IReadOnlyList<Tensor> targets, IReadOnlyList<float[]> values)
    {
        if (targets.Count != values.Count)
            throw new InvalidDataException($"checkpoint holds {values.Count} tensors, the model has {targets.Count}");
        for (int i = 0; i < targets.Count; i++) Write(targets[i], values[i]);
    }
}
