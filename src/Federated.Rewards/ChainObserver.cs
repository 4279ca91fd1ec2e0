using Federated.Chain.Codecs;
using Federated.Chain.Rpc;
using Federated.Domain.Payouts;

namespace Federated.Rewards;

/// <summary>Reads what the chain says about one payout: the receipts and pool status of every transaction it signed,
/// the round's commitment on chain, the head and the sender's mined nonce.</summary>
public static class ChainObserver
{
    public static async Task<ChainView> ObserveAsync(PayoutChain chain, PayoutState state, CancellationToken cancellationToken)
    {
        var allocation = state.Allocation ?? throw new InvalidOperationException("the payout has not been allocated");
        var client = chain.Client;
        // Commitment and nonce first, receipts after: a transaction mined in between shows as a receipt, never as
        // "paid by someone else".
        var commitment = await chain.Distributor.CommitmentOfAsync(Hex.Decode(allocation.ChainRoundId).ToUInt256(), cancellationToken).ConfigureAwait(false);
        var minedNonce = await client.GetTransactionCountAsync(chain.Coordinator.Address, BlockTag.Latest, cancellationToken).ConfigureAwait(false);
        var receipts = new Dictionary<string, ReceiptView>(StringComparer.OrdinalIgnoreCase);
        var pending = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var attempt in state.Attempts)
        {
            var hash = Hex.Decode(attempt.TransactionHash);
            if (await client.GetTransactionReceiptAsync(hash, cancellationToken).ConfigureAwait(false) is { } receipt)
                receipts[attempt.TransactionHash] = new ReceiptView(receipt.BlockNumber, Hex.Encode(receipt.BlockHash), receipt.Succeeded, receipt.GasUsed,
                    receipt.Succeeded ? null : await RevertReasonAsync(chain, receipt, cancellationToken).ConfigureAwait(false));
            else if (await client.GetTransactionByHashAsync(hash, cancellationToken).ConfigureAwait(false) is { Pending: true })
                pending.Add(attempt.TransactionHash);
        }
        var head = await client.BlockNumberAsync(cancellationToken).ConfigureAwait(false);
        return new ChainView(head, receipts, pending, Hex.Encode(commitment), minedNonce);
    }

    /// <summary>Replays the reverted call on the state after its block; that names the cause when the state that made it
    /// revert (a pause, a coordinator change, the round already paid) still holds.</summary>
    private static async Task<string?> RevertReasonAsync(PayoutChain chain, TransactionReceipt receipt, CancellationToken cancellationToken)
    {
        var transaction = await chain.Client.RequestAsync("eth_getTransactionByHash", [Hex.Encode(receipt.TransactionHash)], cancellationToken).ConfigureAwait(false);
        var input = Hex.Decode(transaction.GetProperty("input").GetString()!);
        try
        {
            await chain.Client.CallAsync(new CallRequest { From = receipt.From, To = receipt.To, Data = input }, BlockTag.Number(receipt.BlockNumber), cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (RpcException e) when (e.Revert is not null)
        {
            return e.Revert.ToString();
        }
    }

    internal static System.Numerics.BigInteger ToUInt256(this byte[] bytes) => new(bytes, isUnsigned: true, isBigEndian: true);
}
