using System.Diagnostics;
using System.Globalization;

namespace Unlearning.Bench;

/// <summary>What Redis has received so far (INFO through redis-cli): bytes from its clients and commands run.</summary>
internal sealed record RedisStats(long InputBytes, long Commands, IReadOnlyDictionary<string, long> ByCommand)
{
    public static RedisStats Read(string socket)
    {
        var info = Cli(socket, "INFO", "all");
        long input = 0, commands = 0;
        var byCommand = new Dictionary<string, long>();
        foreach (var raw in info.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("total_net_input_bytes:", StringComparison.Ordinal))
                input = long.Parse(line.Split(':')[1], CultureInfo.InvariantCulture);
            else if (line.StartsWith("cmdstat_", StringComparison.Ordinal))
            {
                // cmdstat_hset:calls=12,usec=...
                var name = line["cmdstat_".Length..line.IndexOf(':')];
                var calls = long.Parse(line.Split(':')[1].Split(',')[0].Split('=')[1], CultureInfo.InvariantCulture);
                byCommand[name] = calls;
                commands += calls;
            }
        }
        return new RedisStats(input, commands, byCommand);
    }

    public RedisStats Since(RedisStats before) => new(InputBytes - before.InputBytes, Commands - before.Commands,
        ByCommand.ToDictionary(p => p.Key, p => p.Value - before.ByCommand.GetValueOrDefault(p.Key)));

    private static string Cli(string socket, params string[] args)
    {
        var psi = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-s", socket, .. args]) psi.ArgumentList.Add(a);
        using var cli = Process.Start(psi)!;
        var text = cli.StandardOutput.ReadToEnd();
        cli.WaitForExit();
        if (cli.ExitCode != 0) throw new InvalidOperationException($"redis-cli {string.Join(' ', args)} failed: {cli.StandardError.ReadToEnd()}");
        return text;
    }
}
