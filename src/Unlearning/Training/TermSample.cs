using Unlearning.Util;
using static TorchSharp.torch;

namespace Unlearning.Training;

/// <summary>
/// <c>unlearning.term_sample</c> = f: at each step the distinguishability term is taken over a random
/// round(f x n) of each group's n rows (at least 2) instead of all of them. Matching the groups exactly
/// on the very users an attacker is cross-validated on overshoots past chance (the held-out fold's
/// users then read the other way); a fresh sample each step matches them in expectation. The sample
/// is drawn from the step number alone, so a resumed run draws what the undisturbed one did.
/// </summary>
public static class TermSample
{
    /// <summary>The derived-seed stream of the draws (<see cref="DerivedSeed"/>).</summary>
    public const int Stream = 0x2000_0002;

    /// <summary>Each group's rows for this step: all of them at f = 1 (the paper's), else a sample of each.
    /// The caller disposes the sampled tensors (<paramref name="rows"/> are returned as they are at f = 1).</summary>
    public static Tensor[] Rows(IReadOnlyList<Tensor> rows, double fraction, int step)
    {
        if (fraction >= 1) return [.. rows];
        using var generator = new Generator((ulong)DerivedSeed.Of(step, Stream));
        return [.. rows.Select(r =>
        {
            long n = r.shape[0], k = Math.Min(n, Math.Max(2, (long)Math.Round(fraction * n)));
            using var order = randperm(n, generator: generator);
            using var first = order.narrow(0, 0, k).to(r.device);
            return r.index_select(0, first);
        })];
    }
}
