using Federated.Coordinator.Runs;
using Federated.Domain.Runs;
using Federated.EventStore;
using Federated.EventStore.Postgres;
using Federated.EventStore.Verification;

namespace Federated.Distributed.Tests;

/// <summary>One run as the event log holds it, plus the coordinator's fault records.</summary>
public sealed record RunLog(string RunId, IReadOnlyList<object> Events, RunState State, IReadOnlyList<MessageFault> Faults, VerificationResult Chain)
{
    public IEnumerable<T> Of<T>() => Events.OfType<T>();
}

/// <summary>Reads the test's PostgreSQL event log the way an operator would: a fresh store each time, so a database
/// restart in the middle of a test only costs a retry.</summary>
public sealed class RunLogReader(string connectionString)
{
    public async Task<RunLog> ReadAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var store = await PostgresEventStore.OpenAsync(connectionString, cancellationToken: cancellationToken);
        var events = new List<object>();
        var state = RunState.Initial;
        await foreach (var recorded in store.ReadStreamAsync(RunEvents.StreamOf(runId), ReadDirection.Forward, 0, int.MaxValue, cancellationToken))
        {
            var e = RunEventCodec.Decode(recorded);
            events.Add(e);
            state = RunState.Evolve(state, e);
        }
        var faults = await FaultLog.ReadAsync(store, cancellationToken);
        var chain = await new EventLogVerifier(store).VerifyAsync(null, cancellationToken);
        return new RunLog(runId, events, state, faults, chain);
    }

    /// <summary>Polls until <paramref name="condition"/> holds (store errors while the database restarts are polled through).</summary>
    /// <param name="afterEnd">Keep waiting after the run ended (for what is recorded outside the run, such as faults).</param>
    public async Task<RunLog> WaitUntilAsync(string runId, Func<RunLog, bool> condition, TimeSpan timeout, Func<string>? context = null, bool afterEnd = false)
    {
        var deadline = DateTime.UtcNow + timeout;
        RunLog? last = null;
        string? lastError = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await ReadAsync(runId);
                if (condition(last)) return last;
                if (last.State.Status == RunStatus.Failed)
                    throw new InvalidOperationException($"run {runId} failed: {last.State.FailureReason}\n{context?.Invoke()}");
                if (last.State.Status == RunStatus.Completed && !afterEnd)
                    throw new InvalidOperationException($"run {runId} completed before reaching the state the test waits for\n{context?.Invoke()}");
            }
            catch (EventStoreException e)
            {
                lastError = e.Message;
            }
            await Task.Delay(300);
        }
        throw new TimeoutException($"run {runId} did not reach the expected state within {timeout.TotalSeconds:0} s " +
            $"(status {last?.State.Status}, round {last?.State.LastAggregatedRound}, last store error: {lastError ?? "none"})\n{context?.Invoke()}");
    }

    public Task<RunLog> WaitForCompletionAsync(string runId, TimeSpan timeout, Func<string>? context = null) =>
        WaitUntilAsync(runId, l => l.State.Status == RunStatus.Completed, timeout, context);
}
