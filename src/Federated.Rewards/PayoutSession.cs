using Federated.Domain.Payouts;
using Federated.EventStore;
using Federated.EventStore.Sessions;

namespace Federated.Rewards;

/// <summary>One round payout's state kept in step with its stream (see <see cref="StreamSession{TState, TCommand}"/> for
/// the decide / append / fold loop, conflict retries and cancellation).</summary>
public sealed class PayoutSession : StreamSession<PayoutState, PayoutCommand>
{
    public static readonly StreamRules<PayoutState, PayoutCommand> Rules = new(PayoutState.Initial, Payout.Decide, PayoutState.Evolve, PayoutEventCodec.Codec);

    private PayoutSession(IEventStore store, TimeProvider time, string streamId)
        : base(store, Rules, streamId, time)
    {
    }

    public static Task<PayoutSession> LoadAsync(IEventStore store, string runId, int round, TimeProvider time, CancellationToken cancellationToken = default) =>
        LoadAsync(new PayoutSession(store, time, PayoutEvents.StreamOf(runId, round)), cancellationToken);
}
