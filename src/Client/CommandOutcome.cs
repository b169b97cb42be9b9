using Unlearning.Experiments;

namespace Unlearning.Client;

/// <summary>How a command that runs engine work ends: its own code when it finishes; 2 for bad input
/// (the message names it); 130 when cancelled; 1 for a failure the engine explains (diverged training,
/// a missing original, a download that failed), in its own words; 3 (<see cref="ExitCodes.Crashed"/>)
/// for anything else, named with its type (and with a stack trace where asked: that is a bug to report).</summary>
internal static class CommandOutcome
{
    /// <summary>Reads a command's inputs with <paramref name="read"/>; where one is bad
    /// (<see cref="ArgumentException"/>), says so in one line and returns false: the command ends with 2.</summary>
    public static bool TryInputs<T>(Func<T> read, out T value)
    {
        try
        {
            value = read();
            return true;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            value = default!;
            return false;
        }
    }

    /// <param name="what">What failed, for the message of an unexpected error ("cell ml-100k/ncf/d2d").</param>
    /// <param name="badInput">Which exceptions are bad input (default <see cref="ExplainedFailure.IsBadInput"/>).</param>
    /// <param name="stackTrace">Print an unexpected error's stack trace.</param>
    public static Task<int> Run(ConsoleProgress console, string what, Func<int> work, Func<Exception, bool>? badInput = null, bool stackTrace = false)
    {
        try
        {
            return Task.FromResult(work());
        }
        catch (Exception e) when ((badInput ?? ExplainedFailure.IsBadInput)(e))
        {
            console.Log($"error: {e.Message}");
            return Task.FromResult(ExitCodes.Usage);
        }
        catch (OperationCanceledException)
        {
            console.Log("cancelled");
            return Task.FromResult(ExitCodes.Interrupted);
        }
        catch (Exception e) when (ExplainedFailure.Is(e))
        {
            console.Log($"error: {what} failed: {e.Message}");
            return Task.FromResult(ExitCodes.Failed);
        }
        catch (Exception e)
        {
            console.Log($"error: {what} crashed: {e.GetType().Name}: {e.Message}");
            if (stackTrace) console.Log(e.StackTrace ?? "");
            return Task.FromResult(ExitCodes.Crashed);
        }
    }
}
