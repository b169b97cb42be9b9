using System.CommandLine;
using Unlearning.Client;

var root = new RootCommand("Attribute-wise unlearning in recommender systems (Li et al., ACM MM 2023): run cells of Tables 1-3.");
root.Subcommands.Add(CellCommand.Create());
root.Subcommands.Add(DataCommand.Create());
root.Subcommands.Add(GridCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(AttackCommand.Create());
Interrupt.Register();
return await root.Parse(args).InvokeAsync(cancellationToken: Interrupt.Token);
