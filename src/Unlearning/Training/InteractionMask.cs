using Unlearning.Data;
using static TorchSharp.torch;

namespace Unlearning.Training;

/// <summary>Bool mask [len, n_items] of items each user in a row range interacted with (train, validation or test).</summary>
public sealed class InteractionMask(PreparedDataset data, Device device)
{
    public Tensor Rows(long firstUser, long count)
    {
        var mask = new bool[count * data.NumItems];
        for (long r = 0; r < count; r++)
        {
            int u = (int)(firstUser + r);
            long row = r * data.NumItems;
            foreach (var item in data.TrainItemsOf(u)) mask[row + item] = true;
            mask[row + data.TestItems[u]] = true;
            if (data.ValidationItems is { } validation) mask[row + validation[u]] = true;
        }
        using var cpu = tensor(mask, [count, data.NumItems]);
        return cpu.to(device);
    }
}
