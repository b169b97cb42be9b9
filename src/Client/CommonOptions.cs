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

    public static Option<string> Out() => new("--out")
    {
        Description = "Folder for results, models, embeddings and the prepared-data cache",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("UNLEARN_OUT") ?? "runs",
    };

    /// <summary>--set KEY=VALUE (repeatable) and --config FILE: protocol numbers changed from the profile.</summary>
    public sealed class Settings
    {
        public Option<string[]> Set { get; } = new("--set")
        {
            Description = "Change one protocol number, e.g. training.epochs=50 or unlearning.trade_off=1e-4 (repeatable; an unknown key lists the valid ones)",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };

        public Option<string?> Config { get; } = new("--config") { Description = "Experiment file: a JSON object of the same keys, e.g. {\"training.epochs\": 50}; --set wins over it" };

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
                if (!File.Exists(file)) throw new ArgumentException($"experiment file {file} not found");
                settings.AddRange(ProfileSettings.FromFile(file));
            }
            if (parse.GetValue(Attribute) is { } attribute) settings.Add($"data.attribute_column={attribute}");
            settings.AddRange(parse.GetValue(Set) ?? []);
            return ProfileSettings.Compose(baseProfile, settings);
        }
    }
}
