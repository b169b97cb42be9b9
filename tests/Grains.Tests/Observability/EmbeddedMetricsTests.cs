using System.Globalization;
using System.Text.RegularExpressions;
using Unlearning.Tests.Shared;

namespace Unlearning.Grains.Tests.Observability;

/// <summary>The client's embedded silo serves the same metrics as a cluster's silos when asked with
/// <c>--metrics-port</c>, and refuses the option where the silos are a cluster's.</summary>
[Trait("Category", "EndToEnd")]
public sealed partial class EmbeddedMetricsTests : IDisposable
{
    private readonly TempFolder _temp = new("embedded-metrics-");
    private string _dir => _temp.Path;

    [GeneratedRegex(@"embedded silo metrics: http://localhost:(\d+)/metrics")]
    private static partial Regex MetricsLine();

    [Fact]
    public async Task AnEmbeddedGridServesItsMetricsOnTheGivenPort()
    {
        using var client = ChildProcess.StartBuilt("src/Client", "unlearn.dll", ["grid", "synthetic-small", "--profile", "fast", "--models", "ncf", "--methods", "original",
            "--metrics-port", "0", "--data", _dir, "--out", _dir, "--run", "embedded"]);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        Match line;
        while (!(line = MetricsLine().Match(client.Errors)).Success)
        {
            Assert.True(DateTime.UtcNow < deadline && !client.WaitForExit(TimeSpan.Zero), $"no metrics line:\n{client.Errors}");
            await Task.Delay(50);
        }
        int port = int.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture);
        using var http = new HttpClient();
        var scrape = await http.GetStringAsync($"http://127.0.0.1:{port}{SiloEndpoints.Metrics}");
        Assert.Equal(Environment.ProcessorCount, PrometheusText.Samples(scrape).Where(s => s.Name == "unlearning_device_slots").Sum(s => s.Value));
        Assert.Contains("service_instance_id=\"embedded\"", scrape);
        Assert.True(client.WaitForExit(TimeSpan.FromMinutes(3)), $"the grid did not finish within 3 minutes\n{client.Printed}");
        Assert.True(client.ExitCode == 0, $"exit code {client.ExitCode}\n{client.Errors}");
    }

    [Fact]
    public void MetricsPortWithAClusterIsRefused()
    {
        using var client = ChildProcess.StartBuilt("src/Client", "unlearn.dll", ["grid", "synthetic-small", "--metrics-port", "9999", "--cluster", "redis://127.0.0.1:1"]);
        Assert.True(client.WaitForExit(TimeSpan.FromMinutes(1)), $"client did not exit within 1 minute\n{client.Printed}");
        Assert.Equal(2, client.ExitCode);
        Assert.Contains("--metrics-port is for the embedded silo", client.Errors);
    }

    public void Dispose() => _temp.Dispose();
}
