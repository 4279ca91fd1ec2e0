using System.Numerics;
using Federated.Chain;
using Federated.Chain.Hashing;
using Federated.Chain.Rpc;

namespace Federated.Rewards;

/// <summary>
/// What a round's payRound anchors on chain, so anyone holding the event log can check the chain against it:
/// <c>commitment = keccak256(segmentHash || payoutListHash)</c>, where <c>segmentHash</c> is the log's hash-chain
/// value (SHA-256, 32 bytes) at the round's RoundAggregated event, which covers every event up to and including it,
/// and <c>payoutListHash = keccak256(word_1 || ... || word_n)</c> over the 32-byte payout words exactly as payRound
/// receives them (<c>amount &lt;&lt; 160 | recipient</c>, in list order; keccak256 of nothing for an empty list).
/// </summary>
public static class RoundCommitment
{
    /// <summary>The round's id on chain: keccak256("federated/{runId}/round/{round}") as a uint256, unique per run and round,
    /// so one distributor can serve many runs.</summary>
    public static BigInteger ChainRoundId(string runId, int round) =>
        new(Keccak256.HashUtf8($"federated/{runId}/round/{round}"), isUnsigned: true, isBigEndian: true);

    public static byte[] PayoutListHash(IReadOnlyList<Payout> payouts)
    {
        var words = new byte[32 * payouts.Count];
        for (var i = 0; i < payouts.Count; i++)
        {
            var word = RewardDistributorContract.PackPayout(payouts[i]).ToByteArray(isUnsigned: true, isBigEndian: true);
            word.CopyTo(words, 32 * i + 32 - word.Length);
        }
        return Keccak256.Hash(words);
    }

    public static byte[] Of(ReadOnlySpan<byte> segmentHash, ReadOnlySpan<byte> payoutListHash)
    {
        if (segmentHash.Length != 32) throw new ArgumentException($"A segment hash is 32 bytes, got {segmentHash.Length}.", nameof(segmentHash));
        if (payoutListHash.Length != 32) throw new ArgumentException($"A payout list hash is 32 bytes, got {payoutListHash.Length}.", nameof(payoutListHash));
        return Keccak256.HashConcat(segmentHash.ToArray(), payoutListHash.ToArray());
    }

    /// <summary>A uint256 as 32 bytes of 0x-hex.</summary>
    public static string ToHex(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[32];
        bytes.CopyTo(padded, 32 - bytes.Length);
        return Chain.Codecs.Hex.Encode(padded);
    }
}
