namespace Unlearning.Util;

/// <summary>Adam's state: steps taken and both moments of every parameter, as float arrays.</summary>
public sealed record AdamState(long Step, float[][] FirstMoments, float[][] SecondMoments)
{
    internal void CheckShape(IReadOnlyList<long> sizes)
    {
        if (FirstMoments.Length != sizes.Count || SecondMoments.Length != sizes.Count
            || Enumerable.Range(0, sizes.Count).Any(i => FirstMoments[i].LongLength != sizes[i] || SecondMoments[i].LongLength != sizes[i]))
            throw new InvalidDataException($"optimiser state of {FirstMoments.Length} tensors does not fit {sizes.Count} parameters");
    }
}
