using System.CommandLine;
using Unlearning.Data;
using Unlearning.Experiments;

namespace Unlearning.Client;

/// <summary><c>data fetch</c> downloads public datasets; <c>data prepare</c> preprocesses one and prints its statistics.</summary>
public static class DataCommand
{
    public static Command Create()
    {
        var command = new Command("data", "Download or inspect datasets");
        command.Subcommands.Add(Fetch());
        command.Subcommands.Add(Prepare());
        return command;
    }

    private static Command Fetch()
    {
        var names = new Argument<string[]>("dataset") { Description = "ml-100k and/or ml-1m", Arity = ArgumentArity.OneOrMore };
        var data = CommonOptions.Data();
        var fetch = new Command("fetch", "Download ML-100K / ML-1M from GroupLens into --data") { names, data };
        fetch.SetAction(async (parse, ct) =>
        {
            if (!CommandOutcome.TryInputs(() => OutputFolder.RequireWritable(parse.GetValue(data)!, "--data"), out _)) return ExitCodes.Usage;
            int failures = 0;
            foreach (var name in parse.GetValue(names)!)
            {
                try
                {
                    await DataFetcher.FetchAsync(name, parse.GetValue(data)!, Console.Error.WriteLine, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    Console.Error.WriteLine($"error: {e.Message}");
                    failures++;
                }
            }
            return failures == 0 ? 0 : 2;
        });
        return fetch;
    }

    private static Command Prepare()
    {
        var name = new Argument<string>("dataset") { Description = "Dataset name (folder under --data)" };
        var data = CommonOptions.Data();
        var output = CommonOptions.Out("Folder whose cache/ keeps the prepared dataset");
        var prepare = new Command("prepare", "Preprocess a dataset (k-core, leave-one-out, candidates), cache it and print its statistics") { name, data, output };
        prepare.SetAction(parse =>
        {
            try
            {
                var cache = Path.Combine(OutputFolder.RequireWritable(parse.GetValue(output)!, "--out"), "cache");
                var d = DatasetLoader.Load(parse.GetValue(name)!, parse.GetValue(data)!, new DataOptions(), cache, Console.Error.WriteLine);
                var groups = d.GroupSizes().Select((n, g) => $"{d.GroupValues[g]}={n}");
                Console.WriteLine($"{d.Name}: {d.NumUsers} users, {d.NumItems} items, {d.NumTrain} training pairs, groups {string.Join(" ", groups)}, hash {d.ContentHash[..12]}");
                return 0;
            }
            catch (Exception e) when (e is DataFormatException or FileNotFoundException or DirectoryNotFoundException or ArgumentException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Usage;
            }
        });
        return prepare;
    }
}
