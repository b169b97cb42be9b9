using static TorchSharp.torch;

namespace Unlearning.Models;

/// <summary>Propagates the whole graph layer by layer (large graphs): rows are taken from all of F.</summary>
public abstract class WholeGraphPropagation : LightGcnPropagation
{
    public override Tensor Rows(Tensor embeddings, Tensor rows) => All(embeddings).index_select(0, rows);

    public override UserBlockRows RowsOfUserBlock(Tensor itemEmbeddings, Tensor rows, int numUsers)
    {
        var items = itemEmbeddings.detach().clone();
        var kept = rows.clone();
        return new UserBlockRows(users => All(cat([users, items], 0)).index_select(0, kept), [items, kept]);
    }
}
