using System.Globalization;
using System.Numerics;

namespace Federated.Domain.Runs;

/// <summary>How a run rewards its contributors: every aggregated round splits <see cref="PoolPerRound"/> among the
/// round's accepted contributions by score (see Domain.Rewards.RewardPolicy).</summary>
/// <param name="PoolPerRound">The round's pool in the reward token's base units (10^-18 of a token), as a decimal
/// string so no JSON number precision is lost. Default: 100 tokens.</param>
public sealed record RewardSpec(string PoolPerRound)
{
    public const string DefaultPoolPerRound = "100000000000000000000";

    /// <summary>The most one payout word can carry (amount &lt; 2^96 in RewardDistributor.payRound); a pool never exceeds it,
    /// so neither does any share of it.</summary>
    public static readonly BigInteger MaxPoolPerRound = (BigInteger.One << 96) - 1;

    public RewardSpec() : this(DefaultPoolPerRound) { }

    /// <summary>The pool as a number; throws <see cref="RunSpecException"/> naming the field when it is not one.</summary>
    public BigInteger Pool() => ParsePool(PoolPerRound);

    public static BigInteger ParsePool(string? text)
    {
        const string field = "rewards.poolPerRound";
        if (string.IsNullOrEmpty(text) || !text.All(char.IsAsciiDigit))
            throw new RunSpecException(field, $"must be a whole number of base units written with digits only, got '{text}'");
        var value = BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        if (value > MaxPoolPerRound)
            throw new RunSpecException(field, $"must be at most 2^96-1 ({MaxPoolPerRound}) base units, the largest amount one payout can carry, got {text}");
        return value;
    }
}
