using System.CommandLine;
using Federated.Cli.Commands;

var root = new RootCommand("fed: federated training of language models, coordinated through an event-sourced log.");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(EventsCommand.Create());
root.Subcommands.Add(VerifyCommand.Create());
// `fed worker keygen`: under the `worker` command if another file already made one, else under a new one.
var worker = root.Subcommands.FirstOrDefault(c => c.Name == "worker") ?? new Command("worker", "Worker identity and hosting");
worker.Subcommands.Add(WorkerKeygenCommand.Create());
if (!root.Subcommands.Contains(worker)) root.Subcommands.Add(worker);
return await root.Parse(args).InvokeAsync();
