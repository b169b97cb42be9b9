using Unlearning.Util;

namespace Unlearning.Training;

/// <summary>
/// Which users asked for their attribute to be forgotten (<c>unlearning.request_fraction</c> = p): in each
/// attribute group, round(p x its users) of them (at least one, and all where p = 1, the paper's setting),
/// drawn with the cell's seed, so the unlearner and the attack of the same cell see the same requesters.
/// </summary>
public static class UnlearningRequests
{
    /// <summary>The derived-seed stream of the draw (<see cref="DerivedSeed"/>).</summary>
    public const int Stream = 0x2000_0001;

    /// <summary>Throws naming the setting where the fraction is not in (0, 1].</summary>
    public static void Require(double fraction)
    {
        if (!(fraction > 0 && fraction <= 1))
            throw new ArgumentException($"unlearning.request_fraction must be more than 0 and at most 1 (1: every user asks, the paper's setting), got {fraction}");
    }

    /// <summary>The requesters of a cell: null where every user asks (p = 1, the paper's setting, where
    /// nothing changes), else <see cref="Draw"/>.</summary>
    public static bool[]? Of(IReadOnlyList<int> userGroup, double fraction, int seed) =>
        fraction == 1.0 ? null : Draw(userGroup, fraction, seed);

    /// <summary>True for each user who asked.</summary>
    public static bool[] Draw(IReadOnlyList<int> userGroup, double fraction, int seed)
    {
        Require(fraction);
        var asked = new bool[userGroup.Count];
        if (fraction >= 1)
        {
            Array.Fill(asked, true);
            return asked;
        }
        var rng = new Random(DerivedSeed.Of(seed, Stream));
        foreach (var group in Enumerable.Range(0, userGroup.Count).GroupBy(u => userGroup[u]).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            rng.Shuffle(members);
            int count = Math.Clamp((int)Math.Round(fraction * members.Length), 1, members.Length);
            foreach (var u in members[..count]) asked[u] = true;
        }
        return asked;
    }
}
