using System.Numerics;
using Federated.Chain.Codecs;
using Federated.Chain.Rpc;
using Federated.Chain.Rpc.Tests;
using Federated.Chain.Transactions;
using Federated.Domain.Payouts;
using Federated.EventStore;

namespace Federated.Rewards.Tests;

/// <summary>Crashes, drops and replacements, on an anvil that mines only when a test says so.</summary>
public sealed class PayoutRecoveryTests(ManualMiningAnvilFixture anvil) : IClassFixture<ManualMiningAnvilFixture>
{
    private const string Shares = "286,571,143";

    private static Func<PayoutCheckpoint, PayoutAttempt?, Task> CrashAt(PayoutCheckpoint point) =>
        (at, _) => at == point ? throw new SimulatedCrash(at) : Task.CompletedTask;

    private static async Task<PayoutScenario> AllocatedAsync(ManualMiningAnvilFixture anvil, string name)
    {
        var s = await PayoutScenario.CreateAsync(anvil, name);
        var round = (await s.RecordRunAsync())[0];
        await s.Processor().AllocateAsync(s.Allocation(round));
        return s;
    }

    [Fact]
    public async Task A_crash_between_signing_and_broadcast_is_recovered_by_broadcasting_the_recorded_transaction_once()
    {
        await using var s = await AllocatedAsync(anvil, "crash-signed");
        await Assert.ThrowsAsync<SimulatedCrash>(() => s.Processor(crashAt: CrashAt(PayoutCheckpoint.Signed)).StepAsync(PayoutScenario.RunId, 1));
        var signed = (await s.StateAsync(1)).Live!;
        var inPoolAfterCrash = await anvil.Client.GetTransactionByHashAsync(Hex.Decode(signed.TransactionHash));

        var recovered = await PayoutScenario.MinedAsync(anvil, s.Processor().SettleAsync(PayoutScenario.RunId, 1));

        Assert.Null(inPoolAfterCrash);
        Assert.Equal((signed.TransactionHash, 1, Shares, 1, 1UL),
            (recovered.Confirmation!.TransactionHash, recovered.Attempts.Count, await s.WorkerBalancesAsync(), await s.RoundPaidCountAsync(), await s.CoordinatorMinedNonceAsync()));
    }

    [Fact]
    public async Task A_crash_between_broadcast_and_confirmation_is_recovered_from_the_receipt_without_sending_again()
    {
        await using var s = await AllocatedAsync(anvil, "crash-broadcast");
        await Assert.ThrowsAsync<SimulatedCrash>(() => s.Processor(crashAt: CrashAt(PayoutCheckpoint.Broadcast)).StepAsync(PayoutScenario.RunId, 1));
        await anvil.Client.MineAsync();
        var settings = new PayoutSettings { Confirmations = 3 };

        var (waiting, _) = await s.Processor(settings).StepAsync(PayoutScenario.RunId, 1);
        await anvil.Client.MineAsync(2);
        var recovered = await s.Processor(settings).SettleAsync(PayoutScenario.RunId, 1);

        Assert.IsType<PayoutStep.Wait>(waiting);
        Assert.Equal((PayoutStatus.Confirmed, 3, 1, Shares, 1),
            (recovered.Status, recovered.Confirmation!.Confirmations, recovered.Attempts.Count, await s.WorkerBalancesAsync(), await s.RoundPaidCountAsync()));
    }

    [Fact]
    public async Task A_store_outage_while_recording_a_signed_transaction_leaves_no_nonce_gap_and_the_payout_is_mined_once()
    {
        await using var s = await AllocatedAsync(anvil, "store-outage-signing");
        var outage = new StoreOutageAt(s.Store, "PayoutTransactionSigned.V1");
        var chain = s.Processor().Chain;
        var processor = new PayoutProcessor(outage, chain, TimeProvider.System, s.Processor().Options);
        await Assert.ThrowsAsync<EventStoreException>(() => processor.StepAsync(PayoutScenario.RunId, 1));

        // The same processor (and so the same nonce lane) carries on once the store is back: the nonce handed out for the
        // transaction that was never recorded nor sent is used again, not skipped (a gap would keep the payout unmined).
        var paid = await PayoutScenario.MinedAsync(anvil, processor.SettleAsync(PayoutScenario.RunId, 1));

        Assert.Equal((1, 0UL, Shares, 1, 1UL),
            (paid.Attempts.Count, paid.Attempts[0].Nonce, await s.WorkerBalancesAsync(), await s.RoundPaidCountAsync(), await s.CoordinatorMinedNonceAsync()));
    }

    /// <summary>The store, except that the first append holding an event of type <paramref name="eventType"/> fails as a
    /// database going away would (nothing written).</summary>
    private sealed class StoreOutageAt(IEventStore inner, string eventType) : IEventStore
    {
        private int _failed;

        public Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default) =>
            events.Any(e => e.EventType == eventType) && Interlocked.Exchange(ref _failed, 1) == 0
                ? throw new EventStoreException("test", "the database went away (simulated)")
                : inner.AppendAsync(streamId, expected, events, cancellationToken);

        public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, ReadDirection direction, long fromVersion, int maxCount, CancellationToken cancellationToken = default) =>
            inner.ReadStreamAsync(streamId, direction, fromVersion, maxCount, cancellationToken);

        public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPositionExclusive, int maxCount, CancellationToken cancellationToken = default) =>
            inner.ReadAllAsync(fromPositionExclusive, maxCount, cancellationToken);

        public Task<long> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default) => inner.GetStreamVersionAsync(streamId, cancellationToken);

        public Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) => inner.GetHeadPositionAsync(cancellationToken);
    }

    [Fact]
    public async Task A_step_stopped_after_taking_a_nonce_leaves_no_gap_in_the_lane_of_the_same_processor()
    {
        // `fed demo` hung this way: its payout follower was cancelled between taking a nonce and recording the signed
        // transaction, and the same processor's next step signed nonce + 1, which waited behind the gap for good.
        await using var s = await AllocatedAsync(anvil, "nonce-taken");
        var stops = 1;
        var processor = s.Processor(crashAt: (at, _) =>
            at == PayoutCheckpoint.NonceTaken && Interlocked.Exchange(ref stops, 0) == 1 ? throw new OperationCanceledException("stopped at NonceTaken") : Task.CompletedTask);
        await Assert.ThrowsAsync<OperationCanceledException>(() => processor.StepAsync(PayoutScenario.RunId, 1));
        var afterStop = await s.StateAsync(1);

        var paid = await PayoutScenario.MinedAsync(anvil, processor.SettleAsync(PayoutScenario.RunId, 1));

        Assert.Empty(afterStop.Attempts);
        Assert.Equal((PayoutStatus.Confirmed, 1, 0UL, 1UL, Shares),
            (paid.Status, paid.Attempts.Count, paid.Attempts[0].Nonce, await s.CoordinatorMinedNonceAsync(), await s.WorkerBalancesAsync()));
    }

    [Fact]
    public async Task A_dropped_transaction_is_replaced_on_the_same_nonce_with_higher_fees()
    {
        await using var s = await AllocatedAsync(anvil, "dropped");
        var processor = s.Processor();
        await processor.StepAsync(PayoutScenario.RunId, 1);
        var first = (await s.StateAsync(1)).Live!;
        await anvil.Client.DropTransactionAsync(Hex.Decode(first.TransactionHash));

        var (noticed, _) = await processor.StepAsync(PayoutScenario.RunId, 1);
        var final = await PayoutScenario.MinedAsync(anvil, processor.SettleAsync(PayoutScenario.RunId, 1));
        var replacement = final.Attempts[^1];

        Assert.True(((RecordFailure)((PayoutStep.Record)noticed).Command).Retryable);
        Assert.Equal((2, first.Nonce, replacement.TransactionHash), (final.Attempts.Count, replacement.Nonce, final.Confirmation!.TransactionHash));
        Assert.True(replacement.MaxFeePerGas * 100 >= first.MaxFeePerGas * 115 && replacement.MaxPriorityFeePerGas * 100 >= first.MaxPriorityFeePerGas * 115,
            $"fees {first.MaxFeePerGas}/{first.MaxPriorityFeePerGas} -> {replacement.MaxFeePerGas}/{replacement.MaxPriorityFeePerGas}");
        Assert.Equal((Shares, 1), (await s.WorkerBalancesAsync(), await s.RoundPaidCountAsync()));
    }

    [Fact]
    public async Task A_stalled_transaction_is_replaced_in_the_pool_and_only_one_of_the_two_is_mined()
    {
        await using var s = await AllocatedAsync(anvil, "stalled");
        var processor = s.Processor(new PayoutSettings { StallTimeout = TimeSpan.Zero });
        await processor.StepAsync(PayoutScenario.RunId, 1);

        var (bump, _) = await processor.StepAsync(PayoutScenario.RunId, 1);
        await anvil.Client.MineAsync();
        var final = await processor.SettleAsync(PayoutScenario.RunId, 1);

        Assert.IsType<PayoutStep.Sign>(bump);
        Assert.Equal((final.Attempts[1].TransactionHash, Shares, 1, 1UL),
            (final.Confirmation!.TransactionHash, await s.WorkerBalancesAsync(), await s.RoundPaidCountAsync(), await s.CoordinatorMinedNonceAsync()));
    }

    [Fact]
    public async Task A_transaction_mined_as_a_revert_stops_the_payout_with_the_reason_recorded()
    {
        await using var s = await AllocatedAsync(anvil, "reverted");
        var processor = s.Processor();
        await processor.StepAsync(PayoutScenario.RunId, 1);
        var payout = (await s.StateAsync(1)).Live!;
        // The admin pauses the distributor in the same block, ahead of the payout (a higher tip is mined first).
        var pause = new Eip1559Transaction
        {
            ChainId = AnvilFixture.ChainId,
            Nonce = await anvil.Client.GetTransactionCountAsync(s.Admin.Address, BlockTag.Pending),
            MaxPriorityFeePerGas = payout.MaxPriorityFeePerGas * 10,
            MaxFeePerGas = payout.MaxFeePerGas * 10,
            GasLimit = 100_000,
            To = s.Distributor.Address,
            Data = RewardDistributorContract.Pause.EncodeCall(),
        }.Sign(s.Admin.PrivateKey);
        await anvil.Client.SendRawTransactionAsync(pause.Raw);
        await anvil.Client.MineAsync();

        var error = await Assert.ThrowsAsync<PayoutFailedException>(() => processor.SettleAsync(PayoutScenario.RunId, 1));

        Assert.Equal(($"transaction {payout.TransactionHash} reverted in block {await anvil.Client.BlockNumberAsync()}: EnforcedPause()", false),
            (error.Failure.Reason, error.Failure.Retryable));
        Assert.Equal((PayoutStatus.Failed, "0,0,0"), ((await s.StateAsync(1)).Status, await s.WorkerBalancesAsync()));
    }
}
