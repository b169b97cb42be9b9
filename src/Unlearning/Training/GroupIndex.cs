using Unlearning.Data;
using static TorchSharp.torch;

namespace Unlearning.Training;

/// <summary>User rows of each attribute group as int64 tensors on the training device; where only some
/// users are members (the requesters of <see cref="UnlearningRequests"/>), the rows of each group among
/// them, numbered within <see cref="Select"/>'s rows.</summary>
public sealed class GroupIndex : IDisposable
{
    /// <param name="members">Where given, only the users marked count; each group must keep at least one.</param>
    public GroupIndex(PreparedDataset data, Device device, IReadOnlyList<bool>? members = null)
    {
        if (members is not null && members.Count != data.NumUsers)
            throw new ArgumentException($"{members.Count} membership flags for {data.NumUsers} users");
        var users = Enumerable.Range(0, data.NumUsers).Where(u => members is null || members[u]).ToArray();
        Rows = Enumerable.Range(0, data.NumGroups)
            .Select(g => Enumerable.Range(0, users.Length).Where(i => data.UserGroup[users[i]] == g).Select(i => (long)i).ToArray())
            .Select((rows, g) => rows.Length > 0 ? tensor(rows).to(device)
                : throw new ArgumentException($"group {g} ('{data.GroupValues[g]}') has no member among the users given"))
            .ToArray();
        Members = members is null ? null : tensor(users.Select(u => (long)u).ToArray()).to(device);
        Labels = tensor(data.UserGroup.Select(g => (long)g).ToArray()).to(device);
    }

    /// <summary>Per group, its rows of <see cref="Select"/>'s result.</summary>
    public Tensor[] Rows { get; }

    /// <summary>The members' user ids, ascending; null where every user is one.</summary>
    public Tensor? Members { get; }

    /// <summary>Group id per user (every user's).</summary>
    public Tensor Labels { get; }

    /// <summary>The members' rows of a per-user matrix (the matrix itself where every user is one).</summary>
    public Tensor Select(Tensor perUser) => Members is null ? perUser : perUser.index_select(0, Members);

    public void Dispose()
    {
        foreach (var r in Rows) r.Dispose();
        Members?.Dispose();
        Labels.Dispose();
    }
}
