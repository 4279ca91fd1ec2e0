using Federated.Cli.Embedded;
using Federated.Cli.Output;
using Federated.Coordinator.Data;
using Federated.Coordinator.Models;
using Federated.Coordinator.Runs;
using Federated.Domain.Runs;

namespace Federated.Cli.Commands;

/// <summary>What `fed demo` and `fed run` share: check everything first, then run, report progress and summarise.</summary>
internal static class RunExecution
{
    /// <param name="dataRoot">Where a dataset file may come from (`fed run`: the spec's folder or --data-root).</param>
    /// <param name="workerKeys">Keys for the in-process workers, in order; the rest get keys derived from the run seed.</param>
    /// <param name="chain">Pay every round on the embedded chain (a private anvil) and show the rewards in the summary.</param>
    public static async Task<int> ExecuteAsync(RunSpec spec, DataRoot? dataRoot, string dataDirPath, bool json, CancellationToken cancellationToken,
        IReadOnlyList<byte[]>? workerKeys = null, bool chain = true)
    {
        // Everything that can be wrong with the input is found before the data directory is touched.
        try
        {
            RunSpecValidator.Validate(spec);
            SpecModels.Create(spec.Model);
            Dataset.Load(spec.Dataset, dataRoot);
        }
        catch (RunSpecException e)
        {
            Console.Error.WriteLine($"error: invalid run spec: {e.Message}");
            return ExitCodes.BadInput;
        }

        var data = DataDirectory.At(dataDirPath);
        DataDirectoryLock dataLock;
        try { dataLock = DataDirectoryLock.Acquire(data.Root); }
        catch (Exception e) when (e is DataDirectoryLockedException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        // Held until the run, its payouts and the chain are finished: a second process on this directory is refused.
        using var held = dataLock;
        var log = json ? Console.Error : Console.Out;
        var progress = new SynchronousProgress<RoundReport>(r => log.WriteLine(SummaryWriter.RoundLine(r)));
        EmbeddedChain? rewards = null;
        try
        {
            rewards = chain ? await EmbeddedChain.StartAsync(data, spec.Seed, log, cancellationToken) : null;
            rewards?.StartPaying();
            var outcome = await EmbeddedRun.ExecuteAsync(spec, dataRoot, data, spec.Workers, progress, log, cancellationToken, workerKeys);
            var paid = rewards is null ? null : await rewards.FinishAsync(outcome.RunId, [.. outcome.Contributions.Select(c => c.WorkerId)], spec.Seed, cancellationToken);
            if (json) Console.Out.WriteLine(RewardsWriter.Json(outcome, paid));
            else RewardsWriter.Text(outcome, paid, Console.Out);
            return outcome.Status == "completed" && paid?.Error is null ? ExitCodes.Ok : ExitCodes.Failed;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"cancelled; everything recorded so far is in {data.EventsDb}");
            return ExitCodes.Cancelled;
        }
        catch (InvalidOperationException e) when (rewards is null && chain)
        {
            Console.Error.WriteLine($"error: the embedded chain did not start: {e.Message}");
            return ExitCodes.Failed;
        }
        finally
        {
            if (rewards is not null) await rewards.DisposeAsync();
        }
    }
}

/// <summary>Reports on the caller's thread, in order (Progress&lt;T&gt; posts to the thread pool and may reorder lines).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
