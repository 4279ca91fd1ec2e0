using Federated.Domain.Payouts;
using Federated.EventStore;

namespace Federated.Rewards;

/// <summary>One round payout's state kept in step with its stream: decide against the current state, append at the
/// expected version, fold. Another writer first: reload and decide again.</summary>
public sealed class PayoutSession
{
    private readonly IEventStore _store;
    private readonly TimeProvider _time;

    private PayoutSession(IEventStore store, TimeProvider time, string streamId)
    {
        _store = store;
        _time = time;
        StreamId = streamId;
    }

    public string StreamId { get; }
    public PayoutState State { get; private set; } = PayoutState.Initial;
    public long Version { get; private set; } = -1;

    public static async Task<PayoutSession> LoadAsync(IEventStore store, string runId, int round, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var session = new PayoutSession(store, time, PayoutEvents.StreamOf(runId, round));
        await session.ReloadAsync(cancellationToken).ConfigureAwait(false);
        return session;
    }

    public async Task<IReadOnlyList<object>> ExecuteAsync(PayoutCommand command, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var events = Payout.Decide(command, State, _time.GetUtcNow());
            if (events.Count == 0) return events;
            var expected = Version < 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exact(Version);
            try
            {
                await _store.AppendAsync(StreamId, expected, [.. events.Select((e, i) => PayoutEventCodec.Encode(e, StreamId, Version + 1 + i))], cancellationToken).ConfigureAwait(false);
            }
            catch (WrongExpectedVersionException) when (attempt < 3)
            {
                await ReloadAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            foreach (var e in events) State = PayoutState.Evolve(State, e);
            Version += events.Count;
            return events;
        }
    }

    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        var state = PayoutState.Initial;
        long version = -1;
        await foreach (var recorded in _store.ReadStreamAsync(StreamId, ReadDirection.Forward, 0, int.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            state = PayoutState.Evolve(state, PayoutEventCodec.Decode(recorded));
            version = recorded.StreamVersion;
        }
        State = state;
        Version = version;
    }
}
