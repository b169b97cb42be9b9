using static TorchSharp.torch;

namespace Unlearning.Models;

/// <summary>A function of the user embedding block and the tensors it keeps alive.</summary>
public sealed class UserBlockRows : IDisposable
{
    private readonly Func<Tensor, Tensor> compute;
    private readonly Tensor[] owned;

    /// <summary>The owned tensors leave any dispose scope: this object disposes them.</summary>
    public UserBlockRows(Func<Tensor, Tensor> compute, Tensor[] owned)
    {
        this.compute = compute;
        this.owned = owned;
        foreach (var t in owned) t.DetachFromDisposeScope();
    }

    public Tensor Compute(Tensor users) => compute(users);

    public void Dispose()
    {
        foreach (var t in owned) t.Dispose();
    }
}
