using System.CommandLine;
using Unlearning.Data;
using Unlearning.Experiments;
using Unlearning.Reporting;

namespace Unlearning.Client;

/// <summary><c>cell</c>: runs one dataset x model x method cell in this process.</summary>
public static class CellCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = $"{string.Join(", ", Catalog.Registry.Datasets.Names)} or a custom folder name", Required = true };
        var model = new Option<string>("--model") { Description = string.Join(" or ", Catalog.Registry.Models.Names), Required = true };
        var method = new Option<string>("--method") { Description = string.Join(", ", Catalog.Registry.Methods.Names), Required = true };
        var profile = new Option<string>("--profile") { Description = "paper (protocol.md), fast or tiny; --set / --config change numbers of it", DefaultValueFactory = _ => "paper" };
        var settings = new CommonOptions.Settings();
        var seed = new Option<int>("--seed") { Description = "Seed of every random choice in the cell", DefaultValueFactory = _ => 2023 };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N", DefaultValueFactory = _ => "auto" };
        var threads = CommonOptions.Threads();
        var reuse = new Option<bool>("--reuse") { Description = "Print the stored result if this exact cell has finished before" };
        var data = CommonOptions.Data();
        var output = CommonOptions.Out();
        var command = new Command("cell", "Run one cell (training, or post-training unlearning from the original model) and print its rows of Tables 1-3")
        {
            dataset, model, method, profile, settings.Set, settings.Config, settings.Attribute, seed, device, threads, reuse, data, output,
        };
        command.SetAction((parse, ct) =>
        {
            var console = new ConsoleProgress();
            var spec = new CellSpec(parse.GetValue(dataset)!, parse.GetValue(model)!, parse.GetValue(method)!, parse.GetValue(profile)!, parse.GetValue(seed));
            return CommandOutcome.Run(console, $"cell {spec.Dataset}/{spec.Model}/{spec.Method}", () =>
            {
                // Every input is checked before any work: the settings, the cell's names, where it writes.
                spec = (spec with { Profile = settings.Profile(parse, spec.Profile) }).Validate();
                var engine = new EngineSettings
                {
                    DataDir = parse.GetValue(data)!,
                    OutDir = OutputFolder.RequireWritable(parse.GetValue(output)!, "--out"),
                    Device = parse.GetValue(device)!,
                    Threads = parse.GetValue(threads),
                };
                var runner = new CellRunner(engine, console.Report, console.Log);
                // The engine runs on one dedicated thread (TorchSharp dispose scopes are per thread).
                var result = RunOnDedicatedThread(() => runner.Run(spec, parse.GetValue(reuse), ct));
                Console.WriteLine(CellReport.Render(result));
                Console.WriteLine($"result: {result.ResultPath}");
                return 0;
            }, stackTrace: true);
        });
        return command;
    }

    internal static T RunOnDedicatedThread<T>(Func<T> work)
    {
        T? value = default;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try { value = work(); }
            catch (Exception e) { error = e; }
        }, maxStackSize: 16 << 20) { Name = "engine" };
        thread.Start();
        thread.Join();
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        return value!;
    }
}
