namespace Unlearning.Client;

/// <summary>
/// What every command's exit code means, so that a Kubernetes Job (deploy/k8s/client/grid-all.yaml)
/// can tell apart what retrying helps with: a crash (3) is retried by a new pod, which re-attaches to
/// the running grid; a finished grid with failed cells (1) or bad input (2) is not.
/// </summary>
public static class ExitCodes
{
    /// <summary>Everything asked for was done.</summary>
    public const int Done = 0;

    /// <summary>Finished, with failed cells (or a cell / attack that failed in its own words).</summary>
    public const int Failed = 1;

    /// <summary>Bad input: an option, a name, a file, a setting; the message names it.</summary>
    public const int Usage = 2;

    /// <summary>An unexpected error in this process (a bug to report, or a cluster unreachable past the
    /// client's patience); the work on a cluster goes on, and `grid status RUN` re-attaches.</summary>
    public const int Crashed = 3;

    /// <summary>Interrupted (Ctrl-C, SIGTERM).</summary>
    public const int Interrupted = 130;
}
