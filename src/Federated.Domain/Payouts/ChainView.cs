namespace Federated.Domain.Payouts;

/// <summary>What the chain says about one payout, read by the application just before a reconciliation step.</summary>
/// <param name="Head">The latest block number.</param>
/// <param name="Receipts">Receipts of the payout's transactions that are mined now, by transaction hash (0x-hex).</param>
/// <param name="Pending">Hashes of the payout's transactions that the node holds in its pool, not yet mined.</param>
/// <param name="Commitment">commitmentOf(roundId) on chain, 0x-hex; all zeros when the round is not paid.</param>
/// <param name="MinedNonce">The sender's transaction count at the latest block: every nonce below it is used.</param>
public sealed record ChainView(
    ulong Head, IReadOnlyDictionary<string, ReceiptView> Receipts, IReadOnlySet<string> Pending, string Commitment, ulong MinedNonce)
{
    public bool RoundPaid => Commitment.Skip(2).Any(c => c != '0');
}

/// <param name="Reason">Why it reverted (decoded revert data), when it reverted and the node could say.</param>
public sealed record ReceiptView(ulong BlockNumber, string BlockHash, bool Succeeded, ulong GasUsed, string? Reason = null);

public sealed record PayoutSettings
{
    /// <summary>Blocks that must include or follow the payout's block before it counts as confirmed (1 = mined).</summary>
    public int Confirmations { get; init; } = 1;

    /// <summary>A broadcast transaction still unmined after this long is replaced with higher fees on its nonce.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Fee raise of a replacement, in percent (at least <see cref="Payout.MinimumFeeBumpPercent"/>).</summary>
    public int FeeBumpPercent { get; init; } = 15;
}
