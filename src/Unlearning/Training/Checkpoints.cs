using Unlearning.Metrics;
using Unlearning.Storage;
using Unlearning.Util;

namespace Unlearning.Training;

/// <summary>Where a long computation keeps its latest state, to continue from it after an
/// interruption (the cell's artifact store, in a cell).</summary>
public interface ICheckpoints<T> where T : class
{
    /// <summary>The latest saved state, or null to start from the beginning.</summary>
    T? Latest();

    void Save(T state);
}
