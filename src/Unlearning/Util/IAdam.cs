namespace Unlearning.Util;

/// <summary>Adam (Kingma and Ba; PyTorch's formulation, no weight decay, no AMSGrad).</summary>
public interface IAdam : IDisposable
{
    void ZeroGrad();
    void Step();

    /// <summary>Step count and moments, for a checkpoint.</summary>
    AdamState Export();

    /// <summary>Continues from a checkpoint's step count and moments (same parameters, same order).</summary>
    void Import(AdamState state);
}
