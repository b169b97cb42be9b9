using Unlearning.Storage;
using Unlearning.Training;

namespace Unlearning.Experiments;

/// <summary>Checkpoints of one cell in the artifact store. A damaged checkpoint is ignored (said in
/// the log): the cell starts from the beginning rather than from bad state.</summary>
internal sealed class StoredCheckpoints<T>(IArtifactStore store, string key, string name, Func<string, T> read, Action<T, string> write,
    Func<T, string> describe, Action<string> resumed, Action<string>? log) : ICheckpoints<T> where T : class
{
    public string? ResumedFrom { get; private set; }

    public T? Latest()
    {
        var found = store.Read(key, name);
        if (found.State == ArtifactState.Missing) return null;
        try
        {
            if (!found.IsVerified) throw new InvalidDataException(found.Problem);
            var state = read(found.Path!);
            ResumedFrom = describe(state);
            resumed(ResumedFrom);
            return state;
        }
        catch (InvalidDataException e)
        {
            log?.Invoke($"checkpoint {name} of {key[..12]} is not usable ({e.Message}); starting from the beginning");
            return null;
        }
    }

    public void Save(T state) => store.Write(key, name, path => write(state, path));
}
