using System.CommandLine;
using Unlearning.Data;
using Unlearning.Experiments;

namespace Unlearning.Client;

/// <summary>Options shared by the commands: where data is read and results are written.</summary>
public static class CommonOptions
{
    public static Option<string> Data() => new("--data")
    {
        Description = "Folder with one sub-folder per dataset (DIR/ml-100k/u.data, DIR/ml-1m/ratings.dat, ...)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("UNLEARN_DATA") ?? RepoPaths.SharedData ?? "data",
    };

    public static Option<string> Out(string description = "Folder for results, models, embeddings and the prepared-data cache (the artifact store)") => new("--out")
    {
        Description = description,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("UNLEARN_OUT") ?? "runs",
    };

    /// <summary>The most TorchSharp intra-op threads a command takes.</summary>
    public const int MaxThreads = 256;

    public static Option<int> Threads()
    {
        var threads = new Option<int>("--threads") { Description = $"TorchSharp intra-op threads (1 to {MaxThreads})", DefaultValueFactory = _ => 1 };
        threads.Validators.Add(result =>
        {
            int value = result.GetValueOrDefault<int>();
            if (value is < 1 or > MaxThreads) result.AddError($"--threads must be from 1 to {MaxThreads}, got {value}");
        });
        return threads;
    }

    /// <summary>--set KEY=VALUE (repeatable) and --config FILE: protocol numbers changed from the profile.</summary>
    /// <param name="example">Keys the command takes, for the help ("training.epochs=50 or unlearning.trade_off=1e-4").</param>
    public sealed class Settings(string example = "training.epochs=50 or unlearning.trade_off=1e-4", string configExample = "{\"training.epochs\": 50}")
    {
        public Option<string[]> Set { get; } = new("--set")
        {
            Description = $"Change one setting, e.g. {example} (repeatable, each key once; an unknown key lists the valid ones)",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };

        public Option<string?> Config { get; } = new("--config") { Description = $"Experiment file: a JSON object of the same keys, e.g. {configExample}; --set wins over it" };

        public Option<string?> Attribute { get; } = new("--attribute")
        {
            Description = "The private attribute: gender (the paper's), age or occupation for ML-100K / ML-1M, a column of attributes.csv for a custom dataset (= --set data.attribute_column=...)",
        };

        /// <summary>The profile expression: the base profile, then the file's settings, then --set's.</summary>
        public string Profile(ParseResult parse, string baseProfile)
        {
            var settings = new List<string>();
            if (parse.GetValue(Config) is { } file)
            {
                if (!File.Exists(file)) throw new ArgumentException($"--config: experiment file {file} not found");
                settings.AddRange(ProfileSettings.FromFile(file));
            }
            var commandLine = CommandLine(parse);
            // --set wins over the file, but settings given twice on the command line are a mistake.
            ProfileSettings.RequireDistinctKeys(commandLine, parse.GetValue(Attribute) is null ? "--set" : "--set with --attribute");
            settings.AddRange(commandLine);
            return ProfileSettings.Compose(baseProfile, settings);
        }

        /// <summary>The canonical keys the file and the command line set, whatever their values.</summary>
        public IReadOnlyList<string> Keys(ParseResult parse) =>
            (parse.GetValue(Config) is { } file && File.Exists(file) ? ProfileSettings.FromFile(file) : []).Concat(CommandLine(parse))
            .Select(s => s.IndexOf('=') is var at and > 0 ? ProfileSettings.KeyOf(s[..at]) : s).Distinct().ToList();

        /// <summary>--attribute as the setting it stands for, then the --set settings.</summary>
        private List<string> CommandLine(ParseResult parse) =>
            [.. parse.GetValue(Attribute) is { } attribute ? [$"data.attribute_column={attribute}"] : Array.Empty<string>(), .. parse.GetValue(Set) ?? []];
    }
}
