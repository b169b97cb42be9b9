using static TorchSharp.torch;

namespace Unlearning.Training;

/// <summary>One epoch's training rows on the device: (user, item, label) for BCE, (user, positive,
/// negative) for BPR.</summary>
internal sealed record EpochRows(Tensor Users, Tensor Items, Tensor Third) : IDisposable
{
    public static EpochRows Sample(NegativeSampler sampler, bool pairwise, Random rng, Device device)
    {
        if (pairwise)
        {
            var (users, positives, negatives) = sampler.SampleTriples(rng);
            return new EpochRows(tensor(users).to(device), tensor(positives).to(device), tensor(negatives).to(device));
        }
        var (u, items, labels) = sampler.SampleEpoch(rng);
        return new EpochRows(tensor(u).to(device), tensor(items).to(device), tensor(labels).to(device));
    }

    public void Dispose()
    {
        Users.Dispose();
        Items.Dispose();
        Third.Dispose();
    }
}
