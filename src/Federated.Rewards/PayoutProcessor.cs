using Federated.Chain.Codecs;
using Federated.Chain.Rpc;
using Federated.Chain.Transactions;
using Federated.Domain;
using Federated.Domain.Payouts;
using Federated.EventStore;

namespace Federated.Rewards;

/// <summary>Points in a payout step where a test can make the process "crash" (throw) to check recovery.</summary>
public enum PayoutCheckpoint
{
    /// <summary>A nonce is taken from the lane; nothing is signed or recorded yet (the hook gets no attempt).</summary>
    NonceTaken,

    /// <summary>The signed transaction is recorded; nothing is broadcast yet.</summary>
    Signed,

    /// <summary>The node accepted the transaction; PayoutSubmitted is not recorded yet.</summary>
    Broadcast,
}

public sealed record PayoutProcessorOptions
{
    public PayoutSettings Settings { get; init; } = new();

    /// <summary>How long <see cref="PayoutProcessor.SettleAsync"/> waits between looks at the chain while nothing changes.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long <see cref="PayoutProcessor.SettleAsync"/> may wait for a payout to be confirmed.</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Called at each <see cref="PayoutCheckpoint"/> with the attempt recorded so far (none at
    /// <see cref="PayoutCheckpoint.NonceTaken"/>); a test throws here to simulate a crash or a cancellation.</summary>
    public Func<PayoutCheckpoint, PayoutAttempt?, Task>? AtCheckpoint { get; init; }
}

/// <summary>
/// Runs round payouts as sagas: allocation, then steps chosen by <see cref="PayoutReconciliation"/> from the recorded
/// state and the chain: sign (recorded before any broadcast), broadcast, record the confirmation, a failure or a reorg.
/// Stateless between calls: everything it knows is in the log, so a fresh processor after a crash carries on
/// where the last one stopped, without paying twice or skipping.
/// </summary>
public sealed class PayoutProcessor(IEventStore store, PayoutChain chain, TimeProvider time, PayoutProcessorOptions? options = null)
{
    public PayoutProcessorOptions Options { get; } = options ?? new PayoutProcessorOptions();

    public PayoutChain Chain => chain;

    public async Task<PayoutState> AllocateAsync(AllocatePayout allocation, CancellationToken cancellationToken = default)
    {
        var session = await PayoutSession.LoadAsync(store, allocation.RunId, allocation.Round, time, cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync(allocation, cancellationToken).ConfigureAwait(false);
        return session.State;
    }

    /// <summary>Steps the payout until it is confirmed. Throws <see cref="PayoutFailedException"/> when a failure stops it
    /// (recorded first), <see cref="TimeoutException"/> when it is not confirmed within the settle timeout.</summary>
    public async Task<PayoutState> SettleAsync(string runId, int round, CancellationToken cancellationToken = default)
    {
        var deadline = time.GetUtcNow() + Options.SettleTimeout;
        while (true)
        {
            var (step, state) = await StepAsync(runId, round, cancellationToken).ConfigureAwait(false);
            switch (step)
            {
                case PayoutStep.Done when state.Status == PayoutStatus.Failed:
                    throw new PayoutFailedException(state.LastFailure!);
                case PayoutStep.Done:
                    return state;
                case PayoutStep.Wait wait:
                    if (time.GetUtcNow() >= deadline)
                        throw new TimeoutException($"Payout of round {round} of run {runId} not confirmed within {Options.SettleTimeout.TotalSeconds:0} s: {wait.Why}.");
                    await Task.Delay(Options.PollInterval, time, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>One look at the chain and one action. Returns the step taken and the state after it.</summary>
    public async Task<(PayoutStep Step, PayoutState State)> StepAsync(string runId, int round, CancellationToken cancellationToken = default)
    {
        var session = await PayoutSession.LoadAsync(store, runId, round, time, cancellationToken).ConfigureAwait(false);
        if (session.State.Allocation is null) throw new InvalidOperationException($"round {round} of run {runId} has no payout allocation");
        var view = await ChainObserver.ObserveAsync(chain, session.State, cancellationToken).ConfigureAwait(false);
        var step = PayoutReconciliation.Next(session.State, view, Options.Settings, time.GetUtcNow());
        switch (step)
        {
            case PayoutStep.Sign sign:
                await SignAndBroadcastAsync(session, sign, cancellationToken).ConfigureAwait(false);
                break;
            case PayoutStep.Broadcast broadcast:
                await BroadcastAsync(session, broadcast.Attempt, cancellationToken).ConfigureAwait(false);
                break;
            case PayoutStep.Record record:
                await session.ExecuteAsync(record.Command, cancellationToken).ConfigureAwait(false);
                if (record.Command is RecordFailure { Retryable: true }) chain.Lane.Resynchronise();
                break;
        }
        return (step, session.State);
    }

    private async Task SignAndBroadcastAsync(PayoutSession session, PayoutStep.Sign sign, CancellationToken cancellationToken)
    {
        var replaced = sign.Nonce is { } reused ? session.State.Attempts.LastOrDefault(a => a.Nonce == reused) : null;
        var prepared = replaced is null
            ? await PrepareAsync(session, cancellationToken).ConfigureAwait(false)
            // A replacement keeps the replaced transaction's call, gas and access list and changes only its fees: the node
            // may estimate on a pending state that already holds the original, where payRound would revert.
            : Eip1559Transaction.Decode(Hex.Decode(replaced.RawTransaction), chain.Coordinator.ChainId).Transaction;
        if (replaced is not null)
        {
            var fees = await chain.Client.EstimateFeesAsync(cancellationToken).ConfigureAwait(false);
            prepared = prepared with { MaxFeePerGas = fees.MaxFeePerGas, MaxPriorityFeePerGas = fees.MaxPriorityFeePerGas };
        }

        var fresh = sign.Nonce is null;
        var nonce = sign.Nonce ?? await chain.Lane.TakeAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (fresh && Options.AtCheckpoint is { } taken) await taken(PayoutCheckpoint.NonceTaken, null).ConfigureAwait(false);
            var tip = BigIntegerMax(prepared.MaxPriorityFeePerGas, sign.MinPriorityFeePerGas);
            var transaction = prepared with
            {
                Nonce = nonce,
                MaxPriorityFeePerGas = tip,
                MaxFeePerGas = BigIntegerMax(BigIntegerMax(prepared.MaxFeePerGas, sign.MinMaxFeePerGas), tip),
            };
            var signed = chain.Coordinator.Sign(transaction);
            await session.ExecuteAsync(new RecordSignedTransaction(Hex.Encode(chain.Coordinator.Address.Bytes), nonce, transaction.MaxFeePerGas,
                transaction.MaxPriorityFeePerGas, transaction.GasLimit, Hex.Encode(signed.Hash), Hex.Encode(signed.Raw)), cancellationToken).ConfigureAwait(false);
        }
        catch when (fresh)
        {
            // The lane gave this nonce out, but no transaction with it is recorded (a cancellation, e.g. `fed demo` stopping
            // its payout follower mid-step, a store error, a refused signature): forget it, or the next payout would sign
            // nonce + 1 and wait behind a gap that nothing fills, never to be mined.
            chain.Lane.Resynchronise();
            throw;
        }
        var attempt = session.State.Live!;
        if (Options.AtCheckpoint is { } hook) await hook(PayoutCheckpoint.Signed, attempt).ConfigureAwait(false);
        await BroadcastAsync(session, attempt, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A new payRound transaction: nonce, fees, gas and access list as the node proposes (the nonce is replaced by
    /// the lane's). Records a failure and throws when the node cannot or will not take it.</summary>
    private async Task<Eip1559Transaction> PrepareAsync(PayoutSession session, CancellationToken cancellationToken)
    {
        var allocation = session.State.Allocation!;
        var payouts = PayoutAllocator.PayoutsOf(allocation.Payouts);
        var data = RewardDistributorContract.EncodePayRound(Hex.Decode(allocation.ChainRoundId).ToUInt256(), Hex.Decode(allocation.Commitment), payouts);
        try
        {
            if (!string.Equals(allocation.Distributor, Hex.Encode(chain.Distributor.Address.Bytes), StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"the payout was allocated for distributor {allocation.Distributor}, but this processor pays through {chain.Distributor.Address}");
            if (allocation.ChainId != (long)chain.Coordinator.ChainId)
                throw new ChainIdMismatchException(allocation.ChainId, chain.Coordinator.ChainId,
                    $"the payout was allocated for chain id {allocation.ChainId}, but the coordinator account signs for chain id {chain.Coordinator.ChainId}");
            return await chain.Coordinator.PrepareAsync(new TransactionRequest { To = chain.Distributor.Address, Data = data }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ChainIdMismatchException or InsufficientFundsException or InvalidOperationException)
        {
            throw await FailAsync(session, null, $"cannot sign: {e.Message}", retryable: true, e, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.Revert is not null)
        {
            // The node says payRound would revert (not the coordinator, paused, already paid): sending it would only burn gas.
            throw await FailAsync(session, null, $"payRound would revert: {e.Revert}", retryable: false, e, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task BroadcastAsync(PayoutSession session, PayoutAttempt attempt, CancellationToken cancellationToken)
    {
        try
        {
            await chain.Client.SendRawTransactionAsync(Hex.Decode(attempt.RawTransaction), cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (Mentions(e, "already imported", "already known"))
        {
            // Broadcast before a crash: the node holds it. Recording the submission below is all that is missing.
        }
        catch (RpcException e) when (Mentions(e, "nonce too low"))
        {
            // Its nonce is used: by this very transaction (its receipt shows on the next look) or by another one.
            return;
        }
        catch (RpcException e)
        {
            throw await FailAsync(session, attempt.TransactionHash, $"the node refused transaction {attempt.TransactionHash}: {e.NodeMessage}", retryable: true, e, cancellationToken).ConfigureAwait(false);
        }
        if (Options.AtCheckpoint is { } hook) await hook(PayoutCheckpoint.Broadcast, attempt).ConfigureAwait(false);
        await session.ExecuteAsync(new RecordSubmission(attempt.TransactionHash), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records the failure, resynchronises the nonce lane and returns the exception for the caller to throw.</summary>
    private async Task<PayoutFailedException> FailAsync(PayoutSession session, string? transactionHash, string reason, bool retryable, Exception cause, CancellationToken cancellationToken)
    {
        chain.Lane.Resynchronise();
        await session.ExecuteAsync(new RecordFailure(transactionHash, reason, retryable), cancellationToken).ConfigureAwait(false);
        return new PayoutFailedException(session.State.LastFailure!, cause);
    }

    private static bool Mentions(RpcException e, params string[] phrases) =>
        phrases.Any(p => e.NodeMessage.Contains(p, StringComparison.OrdinalIgnoreCase));

    private static System.Numerics.BigInteger BigIntegerMax(System.Numerics.BigInteger a, System.Numerics.BigInteger b) => a >= b ? a : b;
}
