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
    return 2;
}
return await parse.InvokeAsync(cancellationToken: Interrupt.Token);

// " grid status" for `grid status`, "" for the root.
static string CommandPath(Command command) =>
    command is RootCommand ? "" : $"{(command.Parents.OfType<Command>().FirstOrDefault() is { } parent ? CommandPath(parent) : "")} {command.Name}";
