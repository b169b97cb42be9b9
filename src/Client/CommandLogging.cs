using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Unlearning.Client;

/// <summary>
/// What the client's hosts (the embedded silo, the cluster client) log, always to standard error, one
/// line an entry. By default this program's own warnings and Orleans' errors; <c>--log-level</c> (or
/// <c>UNLEARN_LOG_LEVEL</c>) sets one level for everything. While an embedded silo is torn down
/// (Ctrl-C, or the grid's end) its in-memory grid goes with it, and what its grains report about
/// that is no news: only critical entries are shown then, unless a level was asked for.
/// </summary>
public static class CommandLogging
{
    public const string Environment = "UNLEARN_LOG_LEVEL";
    private static readonly string[] Levels = ["trace", "debug", "information", "warning", "error", "critical", "none"];
    private static volatile bool _tearingDown;

    /// <summary>The level asked for, for every category; null: the default.</summary>
    public static LogLevel? Requested { get; private set; }

    public static Option<string?> Option() => new("--log-level")
    {
        Description = $"Log level of the silo and client on standard error: {string.Join(", ", Levels)} " +
                      $"(default: this program's warnings and Orleans' errors; {Environment})",
        DefaultValueFactory = _ => System.Environment.GetEnvironmentVariable(Environment),
    };

    /// <summary>Sets <see cref="Requested"/> from the option's value (or the variable's); throws naming a bad one.</summary>
    public static LogLevel? Use(string? level)
    {
        if (string.IsNullOrWhiteSpace(level)) return Requested;
        if (!Levels.Contains(level.Trim().ToLowerInvariant()))
            throw new ArgumentException($"--log-level (or {Environment}) '{level}' is not a level (expected {string.Join(", ", Levels)})");
        return Requested = Enum.Parse<LogLevel>(level.Trim(), ignoreCase: true);
    }

    /// <summary>From now on the embedded silo is being torn down.</summary>
    public static void TearingDown() => _tearingDown = true;

    public static void Configure(IHostApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddFilter((category, level) => Shows(category, level));
    }

    internal static bool Shows(string? category, LogLevel level)
    {
        if (Requested is { } requested) return level >= requested;
        if (_tearingDown) return level >= LogLevel.Critical;
        // A host that fails to start is reported by the command, in one line.
        if (category?.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal) == true) return false;
        bool ours = category?.StartsWith("Unlearning.", StringComparison.Ordinal) == true;
        return level >= (ours ? LogLevel.Warning : LogLevel.Error);
    }
}
