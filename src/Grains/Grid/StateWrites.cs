using Microsoft.Extensions.Logging;

namespace Unlearning.Grains;

/// <summary>Grain-state writes that outlast a short storage outage (a Redis restart): a finished
/// cell's result must not be lost because the store was away for a few seconds.</summary>
internal static class StateWrites
{
    private static readonly TimeSpan[] Backoff = [.. Enumerable.Range(0, 12).Select(i => TimeSpan.FromMilliseconds(Math.Min(5000, 250 << Math.Min(i, 5))))];

    public static async Task WithRetry(Func<Task> write, ILogger logger, string what)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await write();
                return;
            }
            catch (Exception e) when (attempt < Backoff.Length && e is not Orleans.Storage.InconsistentStateException)
            {
                logger.LogWarning("Writing {What} failed ({Error}); retrying in {Delay}", what, e.GetBaseException().Message, Backoff[attempt]);
                await Task.Delay(Backoff[attempt]);
            }
        }
    }
}
