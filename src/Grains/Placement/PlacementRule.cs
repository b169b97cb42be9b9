namespace Unlearning.Grains;

/// <summary>GPU-preferred placement, free of Orleans: silos with GPUs when any offer them, and among
/// those the one with the fewest cells placed per device slot; ties go to a random one.</summary>
public static class PlacementRule
{
    /// <returns>The index of the chosen offer.</returns>
    public static int Choose(IReadOnlyList<SiloOffer> offers, Random random)
    {
        if (offers.Count == 0) throw new ArgumentException("no silo to place on", nameof(offers));
        bool anyGpu = offers.Any(o => o.Gpus > 0);
        return Enumerable.Range(0, offers.Count)
            .Where(i => !anyGpu || offers[i].Gpus > 0)
            .Select(i => (Index: i, Load: (offers[i].Placed + 1.0) / Math.Max(1, offers[i].Slots), Tie: random.Next()))
            .OrderBy(c => c.Load).ThenBy(c => c.Tie)
            .First().Index;
    }
}
