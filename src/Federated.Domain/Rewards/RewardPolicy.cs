using System.Numerics;
using Federated.Domain.Runs;

namespace Federated.Domain.Rewards;

/// <summary>One worker's share of a round's pool.</summary>
/// <param name="Score">The sum of the scores of the worker's accepted contributions in the round.</param>
public sealed record WorkerShare(string WorkerId, long Score, BigInteger Amount);

/// <summary>
/// Splits a round's pool among the workers whose updates the round aggregated, in proportion to their scores,
/// in whole base units, exactly (the shares sum to the pool whenever any score is positive).
/// <para>Rule (largest remainder, Hamilton): worker i with score s_i of total S first gets floor(pool * s_i / S).
/// The units left over (fewer than the number of workers) go one each to the workers with the largest
/// remainders (pool * s_i mod S); equal remainders are ordered by worker id, ordinal. Workers with score 0
/// get nothing and are left out; if every score is 0 the round pays nobody.</para>
/// </summary>
public static class RewardPolicy
{
    public static IReadOnlyList<WorkerShare> Allocate(BigInteger pool, RunEvents.V1.RoundAggregated round, IContributionScore score)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(score);
        var scores = round.AggregatedUpdates
            .GroupBy(u => u.WorkerId, StringComparer.Ordinal)
            .Select(g => (WorkerId: g.Key, Score: g.Sum(score.ScoreOf)))
            .ToList();
        return Allocate(pool, scores);
    }

    public static IReadOnlyList<WorkerShare> Allocate(BigInteger pool, IReadOnlyList<(string WorkerId, long Score)> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (pool.Sign < 0) throw new DomainException($"a reward pool cannot be negative, got {pool}");
        if (scores.Select(s => s.WorkerId).Distinct(StringComparer.Ordinal).Count() != scores.Count)
            throw new DomainException("each worker must appear once in a reward allocation");
        if (scores.FirstOrDefault(s => s.Score < 0) is { WorkerId: not null } negative)
            throw new DomainException($"worker {negative.WorkerId} has a negative score {negative.Score}");

        var scored = scores.Where(s => s.Score > 0).ToList();
        BigInteger total = scored.Aggregate(BigInteger.Zero, (sum, s) => sum + s.Score);
        if (total.IsZero || pool.IsZero) return [];

        var shares = scored.Select(s =>
        {
            var quotient = BigInteger.DivRem(pool * s.Score, total, out var remainder);
            return (s.WorkerId, s.Score, Amount: quotient, Remainder: remainder);
        }).ToList();
        var left = (int)(pool - shares.Aggregate(BigInteger.Zero, (sum, s) => sum + s.Amount));
        var extra = shares
            .OrderByDescending(s => s.Remainder)
            .ThenBy(s => s.WorkerId, StringComparer.Ordinal)
            .Take(left)
            .Select(s => s.WorkerId)
            .ToHashSet(StringComparer.Ordinal);
        return
        [
            .. shares
                .Select(s => new WorkerShare(s.WorkerId, s.Score, extra.Contains(s.WorkerId) ? s.Amount + 1 : s.Amount))
                .Where(s => s.Amount.Sign > 0)
                .OrderBy(s => s.WorkerId, StringComparer.Ordinal),
        ];
    }
}
