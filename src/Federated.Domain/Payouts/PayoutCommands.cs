using System.Numerics;
using static Federated.Domain.Payouts.PayoutEvents.V1;

namespace Federated.Domain.Payouts;

/// <summary>Commands a payout decides on. Hashes, signatures and chain observations are worked out by the
/// application before the command is decided.</summary>
public abstract record PayoutCommand;

public sealed record AllocatePayout(
    string RunId, int Round, string ChainRoundId, long ChainId, string Distributor, BigInteger Pool, string Score,
    IReadOnlyList<PayoutLine> Payouts, string SegmentHash, string PayoutListHash, string Commitment) : PayoutCommand;

public sealed record RecordSignedTransaction(
    string Sender, ulong Nonce, BigInteger MaxFeePerGas, BigInteger MaxPriorityFeePerGas, ulong GasLimit, string TransactionHash, string RawTransaction) : PayoutCommand;

public sealed record RecordSubmission(string TransactionHash) : PayoutCommand;

public sealed record RecordConfirmation(string TransactionHash, ulong BlockNumber, string BlockHash, int Confirmations, ulong GasUsed) : PayoutCommand;

public sealed record RecordFailure(string? TransactionHash, string Reason, bool Retryable) : PayoutCommand;

public sealed record RecordReorg(string TransactionHash) : PayoutCommand;
