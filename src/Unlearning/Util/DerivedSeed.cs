namespace Unlearning.Util;

/// <summary>Independent seeds derived from a cell's seed, one per stream (an attack fold, a training
/// epoch's sample): SplitMix64's finaliser over (seed, stream).</summary>
public static class DerivedSeed
{
    /// <summary>Streams of training epochs' samples: <c>EpochStream + epoch</c>.</summary>
    public const int EpochStream = 0x4000_0000;

    public static int Of(int seed, int stream)
    {
        ulong z = ((ulong)(uint)seed << 32 | (uint)stream) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }
}
