using System.CommandLine;
using Federated.Cli.Commands;

var root = new RootCommand("fed: federated training of language models, coordinated through an event-sourced log.");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(EventsCommand.Create());
root.Subcommands.Add(VerifyCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(CoordinatorCommand.Create());
var worker = WorkerCommand.Create();
worker.Subcommands.Add(WorkerKeygenCommand.Create()); // `fed worker keygen`
root.Subcommands.Add(worker);
root.Subcommands.Add(LaunchCommand.Create());
root.Subcommands.Add(PayoutsCommand.Create());
root.Subcommands.Add(ChainCommand.Create());
root.Subcommands.Add(BlobsCommand.Create());
// SIGTERM / Ctrl+C cancel the command's token; the long-running commands get time to shut down cleanly.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
