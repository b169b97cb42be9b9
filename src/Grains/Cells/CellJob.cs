namespace Unlearning.Grains;

/// <summary>A cell's work on this silo, read by its grain: state, progress, and the outcome.</summary>
public sealed class CellJob(CellRequest request, int attempt)
{
    private volatile CellStatus _status = new(request.Cell, CellState.Queued, QueuedAt: DateTimeOffset.Now, Attempt: attempt, ReadyAt: request.ReadyAt);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _reason;

    public CellRequest Request { get; } = request;
    public CancellationTokenSource Cancellation { get; } = new();
    public CellStatus Status { get => _status; internal set => _status = value; }
    public StopReason Reason => (StopReason)Volatile.Read(ref _reason);

    /// <summary>Completes when the job's thread has let go of its slot.</summary>
    public Task Ended => _ended.Task;

    /// <summary>Stops the job at its next check (the engine saves a checkpoint first); the first reason given wins.</summary>
    public void Stop(StopReason reason, string? detail = null)
    {
        if (Interlocked.CompareExchange(ref _reason, (int)reason, (int)StopReason.None) == (int)StopReason.None)
        {
            StopDetail = detail;
            Cancellation.Cancel();
        }
    }

    public string? StopDetail { get; private set; }

    internal void MarkEnded() => _ended.TrySetResult();
}
