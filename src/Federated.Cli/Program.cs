using System.CommandLine;
using Federated.Cli.Commands;

var root = new RootCommand("fed: federated training of language models, coordinated through an event-sourced log.");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(EventsCommand.Create());
root.Subcommands.Add(VerifyCommand.Create());
root.Subcommands.Add(PayoutsCommand.Create());
return await root.Parse(args).InvokeAsync();
