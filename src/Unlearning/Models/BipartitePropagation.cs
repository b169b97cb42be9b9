using Unlearning.Util;

namespace Unlearning.Models;

/// <summary>
/// LightGCN's propagation of the user block alone on the CPU, by its two sparse blocks: Â has only
/// user→item and item→user entries, so starting from E = [U; 0] every layer has one non-zero block
/// and costs one sparse product (nnz x dim), against (users + items) x users x dim for the dense rows
/// of P. Since P is symmetric, the gradient with respect to U is the user block of P G, evaluated
/// from the last layer down (Horner) with one sparse product per layer as well.
/// </summary>
public sealed class BipartitePropagation
{
    private readonly CsrMatrix _userItems, _itemUsers;

    public BipartitePropagation(int numUsers, int numItems, int[] trainUsers, int[] trainItems, int layers)
    {
        var (_, weights) = LightGcnPropagation.EdgeWeights(numUsers, numItems, trainUsers, trainItems);
        _userItems = CsrMatrix.FromTriplets(numUsers, numItems, trainUsers, trainItems, weights);
        _itemUsers = CsrMatrix.FromTriplets(numItems, numUsers, trainItems, trainUsers, weights);
        NumUsers = numUsers; NumItems = numItems; Layers = layers;
    }

    public int NumUsers { get; }
    public int NumItems { get; }
    public int Layers { get; }

    /// <summary>Scratch rows of one user block and one item block, reused across calls.</summary>
    public sealed class Workspace(int numUsers, int numItems, int dim)
    {
        public int Dim { get; } = dim;
        internal float[] Users { get; } = new float[numUsers * dim];
        internal float[] Items { get; } = new float[numItems * dim];
    }

    /// <summary>Users' and items' final embeddings for E = [U; 0]: F_u = Σ_even layers / (L + 1),
    /// F_i = Σ_odd layers / (L + 1). Spans are row-major [NumUsers, dim] and [NumItems, dim].</summary>
    public void Forward(ReadOnlySpan<float> users, Span<float> finalUsers, Span<float> finalItems, Workspace work)
    {
        users.CopyTo(finalUsers);
        finalItems.Clear();
        ReadOnlySpan<float> layer = users;
        for (int l = 1; l <= Layers; l++)
        {
            bool onItems = l % 2 == 1;
            Span<float> next = onItems ? work.Items : work.Users;
            (onItems ? _itemUsers : _userItems).Multiply(layer, next, work.Dim);
            VectorOps.Add(onItems ? finalItems : finalUsers, next);
            layer = next;
        }
        VectorOps.Scale(finalUsers, 1f / (Layers + 1));
        VectorOps.Scale(finalItems, 1f / (Layers + 1));
    }

    /// <summary>dU = (P [G_u; G_i])_users = (G_u + Â_ui (G_i + Â_iu (G_u + …))) / (L + 1).</summary>
    public void Backward(ReadOnlySpan<float> gradUsers, ReadOnlySpan<float> gradItems, Span<float> gradU, Workspace work)
    {
        Span<float> h = Layers % 2 == 1 ? work.Items : work.Users;
        (Layers % 2 == 1 ? gradItems : gradUsers).CopyTo(h);
        if (Layers == 0) h.CopyTo(gradU);
        for (int l = Layers - 1; l >= 0; l--)
        {
            bool onItems = l % 2 == 1;
            Span<float> next = l == 0 ? gradU : onItems ? work.Items : work.Users;
            (onItems ? gradItems : gradUsers).CopyTo(next);
            (onItems ? _itemUsers : _userItems).Multiply(h, next, work.Dim, accumulate: true);
            h = next;
        }
        VectorOps.Scale(gradU, 1f / (Layers + 1));
    }
}
