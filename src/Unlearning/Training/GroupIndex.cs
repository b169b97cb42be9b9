using Unlearning.Data;
using static TorchSharp.torch;

namespace Unlearning.Training;

/// <summary>User rows of each attribute group as int64 tensors on the training device.</summary>
public sealed class GroupIndex : IDisposable
{
    public GroupIndex(PreparedDataset data, Device device)
    {
        Rows = Enumerable.Range(0, data.NumGroups)
            .Select(g => tensor(Enumerable.Range(0, data.NumUsers).Where(u => data.UserGroup[u] == g).Select(u => (long)u).ToArray()).to(device))
            .ToArray();
        Labels = tensor(data.UserGroup.Select(g => (long)g).ToArray()).to(device);
    }

    public Tensor[] Rows { get; }

    /// <summary>Group id per user.</summary>
    public Tensor Labels { get; }

    public void Dispose()
    {
        foreach (var r in Rows) r.Dispose();
        Labels.Dispose();
    }
}
