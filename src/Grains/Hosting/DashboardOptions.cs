namespace Unlearning.Grains;

/// <summary>Section "Dashboard": <c>Dashboard__Port</c> serves the Orleans dashboard on its own port
/// (absent: no dashboard; 0: a free port, printed at start).</summary>
public sealed class DashboardOptions
{
    public int? Port { get; set; }

    public DashboardOptions Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentException($"Dashboard__Port must be a port number (0 for a free one), got {Port}");
        return this;
    }
}
