using Microsoft.Extensions.Hosting;

namespace Unlearning.Grains;

/// <summary>Whether the silo has joined its cluster and is not stopping, from the host's lifetime
/// events alone (the probes must not call Redis or grains).</summary>
public sealed class SiloHealth
{
    private volatile bool _started;
    private volatile bool _stopping;

    public SiloHealth(IHostApplicationLifetime lifetime)
    {
        lifetime.ApplicationStarted.Register(() => _started = true);
        lifetime.ApplicationStopping.Register(() => _stopping = true);
    }

    public bool Started => _started;
    public bool Stopping => _stopping;
}
