using System.CommandLine;
using Unlearning.Data;

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
}
