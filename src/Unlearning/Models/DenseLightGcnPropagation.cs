using static TorchSharp.torch;
using Unlearning.Util;

namespace Unlearning.Models;

/// <summary>Keeps P = (I + Â + Â² + Â³) / 4 dense: a step needs only the rows of P of its batch's
/// nodes (exact). For graphs whose P fits in memory.</summary>
public sealed class DenseLightGcnPropagation : LightGcnPropagation
{
    private readonly Tensor _p;

    public DenseLightGcnPropagation(Tensor adjacency, int nodes, int layers, Device device)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var power = eye(nodes);
        var sum = eye(nodes);
        for (int l = 0; l < layers; l++)
        {
            power = adjacency.matmul(power);
            sum.add_(power, Scalars.One);
        }
        _p = sum.div_(Scalars.Of((double)(layers + 1))).to(device).MoveToOuterDisposeScope();
    }

    public override Tensor All(Tensor embeddings) => _p.matmul(embeddings);

    public override Tensor Rows(Tensor embeddings, Tensor rows) => _p.index_select(0, rows).matmul(embeddings);

    /// <summary>F[rows] = P[rows, users] U + P[rows, items] I, the second term precomputed.</summary>
    public override UserBlockRows RowsOfUserBlock(Tensor itemEmbeddings, Tensor rows, int numUsers)
    {
        using var _ = no_grad();
        using var selected = _p.index_select(0, rows);
        var userColumns = selected.narrow(1, 0, numUsers).contiguous();
        var constant = selected.narrow(1, numUsers, selected.shape[1] - numUsers).matmul(itemEmbeddings);
        return new UserBlockRows(users => userColumns.matmul(users).add(constant, Scalars.One), [userColumns, constant]);
    }

    public override void Dispose() => _p.Dispose();
}
