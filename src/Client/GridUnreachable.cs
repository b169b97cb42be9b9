namespace Unlearning.Client;

/// <summary>
/// A watching client rides out the loss of the silo that held its grid: the call fails or times out
/// until the cluster declares the silo dead, then the next call brings the grid back on another silo
/// (it asks its cells where they stand). Retried every few seconds for up to <see cref="Patience"/>,
/// saying so once on standard error; past that the error is the user's to see.
/// </summary>
public static class GridUnreachable
{
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);

    public static async Task<T> Retry<T>(Func<Task<T>> call, CancellationToken ct)
    {
        var since = DateTime.UtcNow;
        for (bool said = false; ; )
        {
            try
            {
                var result = await call();
                if (said) Console.Error.WriteLine($"the grid answers again after {(DateTime.UtcNow - since).TotalSeconds:F0} s");
                return result;
            }
            catch (Exception e) when (Transient(e) && DateTime.UtcNow - since < Patience)
            {
                if (!said) Console.Error.WriteLine($"the grid does not answer ({e.GetBaseException().Message}); its silo may be lost: retrying for up to {Patience.TotalMinutes:F0} minutes");
                said = true;
                await Task.Delay(Pause, ct);
            }
        }
    }

    /// <summary>What a lost silo looks like to a caller: its calls time out, are rejected, or find it gone.</summary>
    public static bool Transient(Exception e) =>
        e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException;
}
