using System.CommandLine;
using Unlearning.Client;

var root = new RootCommand("Attribute-wise unlearning in recommender systems (Li et al., ACM MM 2023): run cells of Tables 1-3.");
root.Subcommands.Add(CellCommand.Create());
root.Subcommands.Add(DataCommand.Create());
root.Subcommands.Add(GridCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(AttackCommand.Create());
Interrupt.Register();
var parse = root.Parse(args);
// A subcommand does not take its parent's arguments (`grid status <run>` no datasets): its help must not list them.
foreach (var parent in parse.CommandResult.Command.Parents.OfType<Command>())
    foreach (var argument in parent.Arguments) argument.Hidden = true;
if (parse.Errors.Count > 0)
{
    // A usage error: each problem on standard error, exit code 2 (System.CommandLine's default is 1 with the help on standard output).
    foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message}");
    Console.Error.WriteLine($"(`unlearn{CommandPath(parse.CommandResult.Command)} --help` lists the options)");
    return ExitCodes.Usage;
}
try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, Interrupt.Token);
}
catch (OperationCanceledException) when (Interrupt.Token.IsCancellationRequested)
{
    Console.Error.WriteLine("interrupted");
    return ExitCodes.Interrupted;
}
catch (Exception e)
{
    // Not "finished with failed cells" (1): a crash, which a Job retries and a new client re-attaches from.
    Console.Error.WriteLine($"error: crashed: {e.GetType().Name}: {e.Message}");
    Console.Error.WriteLine(e.StackTrace);
    return ExitCodes.Crashed;
}

// " grid status" for `grid status`, "" for the root.
static string CommandPath(Command command) =>
    command is RootCommand ? "" : $"{(command.Parents.OfType<Command>().FirstOrDefault() is { } parent ? CommandPath(parent) : "")} {command.Name}";
