using Federated.Chain.Rpc;
using Federated.EventStore.Subscriptions;

namespace Federated.Rewards;

/// <summary>
/// Which failures of the payout subscription are outages to wait out, and what each waits for. The store being away
/// (<see cref="EventStore.EventStoreException"/>), the chain node being away or slow (transport errors, timeouts, a
/// node error that is not a revert), a payout not confirmed yet, and a payout the node refused but that may be retried
/// (its failure is recorded; the saga signs again) are outages. A revert, a payout that failed for good, a bad event or
/// a bug are not: they stop payouts loudly.
/// </summary>
public static class PayoutOutages
{
    /// <summary>What the payout subscription waits for after <paramref name="error"/>, or null when it must stop.</summary>
    /// <param name="chain">The chain node's endpoint, named in the report.</param>
    public static string? Classify(Exception error, Uri chain)
    {
        if (SubscriptionRetry.StoreOutage(error) is { } store) return store;
        return error switch
        {
            RpcTransportException or HttpRequestException => $"the chain node at {chain}",
            TimeoutException => $"the chain node at {chain} (a request or a confirmation timed out)",
            RpcException { Revert: null } => $"the chain node at {chain} (it answered with an error)",
            PayoutFailedException { Failure.Retryable: true } => $"a payout the chain at {chain} refused, to be retried",
            _ => null,
        };
    }

    /// <summary>The payout subscription's retry: outages as <see cref="Classify"/> says, reported on <paramref name="log"/>.</summary>
    public static SubscriptionRetry Retry(Uri chain, TextWriter log) => new()
    {
        FirstDelay = TimeSpan.FromMilliseconds(500),
        MaxDelay = TimeSpan.FromSeconds(30),
        Classify = e => Classify(e, chain),
        OnOutage = o => log.WriteLine($"warning: payouts waiting for {o.WaitingFor}: {o.Error.Message} (retrying with backoff up to 30 s)"),
        OnResumed = o => log.WriteLine($"payouts resumed: {o.WaitingFor} is back after {o.Downtime.TotalSeconds:0.#} s ({o.Attempts} failed tries)"),
    };
}
