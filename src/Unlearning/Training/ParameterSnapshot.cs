using TorchSharp.Modules;
using Unlearning.Util;
using static TorchSharp.torch;

namespace Unlearning.Training;

/// <summary>A copy of parameter values (kept on their device), restored into the same parameters.</summary>
public sealed class ParameterSnapshot : IDisposable
{
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly Tensor[] _values;

    public ParameterSnapshot(IReadOnlyList<Parameter> parameters)
    {
        _parameters = parameters;
        using var _ = no_grad();
        _values = parameters.Select(p => p.detach().clone()).ToArray();
    }

    /// <summary>The snapshot's values (a checkpoint's best-so-far model).</summary>
    public float[][] Values() => TensorValues.ReadAll(_values);

    /// <summary>Replaces the snapshot's values with a checkpoint's.</summary>
    public void Load(IReadOnlyList<float[]> values) => TensorValues.WriteAll(_values, values);

    public void Restore()
    {
        using var _ = no_grad();
        for (int i = 0; i < _values.Length; i++) _parameters[i].copy_(_values[i]);
    }

    public void Dispose()
    {
        foreach (var v in _values) v.Dispose();
    }
}
