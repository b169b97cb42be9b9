using System.Runtime.InteropServices;

namespace Unlearning.Client;

/// <summary>Ctrl-C / SIGTERM as a cancellation token: the grid view detaches (the cluster keeps
/// working) instead of the process being killed mid-call.</summary>
public static class Interrupt
{
    private static readonly CancellationTokenSource Source = new();
    private static readonly List<PosixSignalRegistration> Registrations = [];

    public static CancellationToken Token => Source.Token;

    public static void Register()
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            Registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                Source.Cancel();
            }));
    }
}
