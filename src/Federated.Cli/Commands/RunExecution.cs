using Federated.Cli.Embedded;
using Federated.Cli.Output;
using Federated.Coordinator.Data;
using Federated.Coordinator.Runs;
using Federated.Domain.Runs;

namespace Federated.Cli.Commands;

/// <summary>What `fed demo` and `fed run` share: check everything first, then run, report progress and summarise.</summary>
internal static class RunExecution
{
    /// <param name="workerKeys">Keys for the in-process workers, in order; the rest get keys derived from the run seed.</param>
    public static async Task<int> ExecuteAsync(RunSpec spec, string? specDirectory, string dataDirPath, bool json, CancellationToken cancellationToken,
        IReadOnlyList<byte[]>? workerKeys = null)
    {
        // Everything that can be wrong with the input is found before the data directory is touched.
        try
        {
            RunSpecValidator.Validate(spec);
            RunCoordinator.CreateModel(spec.Model);
            Dataset.Load(spec.Dataset, specDirectory);
        }
        catch (RunSpecException e)
        {
            Console.Error.WriteLine($"error: invalid run spec: {e.Message}");
            return ExitCodes.BadInput;
        }

        var data = DataDirectory.At(dataDirPath);
        var log = json ? Console.Error : Console.Out;
        var progress = new SynchronousProgress<RoundReport>(r => log.WriteLine(SummaryWriter.RoundLine(r)));
        try
        {
            var outcome = await EmbeddedRun.ExecuteAsync(spec, specDirectory, data, spec.Workers, progress, log, cancellationToken, workerKeys);
            if (json) Console.Out.WriteLine(SummaryWriter.Json(outcome));
            else SummaryWriter.Text(outcome, Console.Out);
            return outcome.Status == "completed" ? ExitCodes.Ok : ExitCodes.Failed;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"cancelled; everything recorded so far is in {data.EventsDb}");
            return ExitCodes.Cancelled;
        }
    }
}

/// <summary>Reports on the caller's thread, in order (Progress&lt;T&gt; posts to the thread pool and may reorder lines).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
