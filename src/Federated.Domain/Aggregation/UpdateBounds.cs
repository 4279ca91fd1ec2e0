using Federated.Domain.Verification;

namespace Federated.Domain.Aggregation;

/// <summary>How large an update is: its L2 norm and its largest absolute value, summed in double (a float sum of 3e38
/// values would overflow and hide the size), with the L2 norm of the base model it was trained from.</summary>
public sealed record UpdateMagnitude(double Norm, double MaxAbs, double BaseNorm);

/// <summary>
/// The bounds every update meets, whatever the aggregator. Token weights and contribution scores are free of an update's
/// magnitude, but its values are not: one worker's 3e38 update outweighs any number of honest ones under a mean and
/// overflows the sums. Two rules, both deterministic, so a replay applies them alike:
/// <list type="number">
/// <item>Absolute, at submission: every |value| at most <see cref="VerificationSpec.MaxUpdateValue"/> and the L2 norm at most
/// <see cref="VerificationSpec.MaxUpdateNormRatio"/> x max(1, L2 norm of the round's base model). Outside: rejected with
/// <c>update-norm-out-of-bounds</c>. This holds however few updates a round has.</item>
/// <item>Relative, at aggregation: an update longer than <see cref="VerificationSpec.MaxNormToMedian"/> x the median norm of
/// the round's accepted updates is scaled down to that length before any aggregator sees it. With one or two updates the
/// median is their own size and this rule cannot bite; the absolute rule still does.</item>
/// </list>
/// </summary>
public static class UpdateBounds
{
    /// <summary>The magnitude of <paramref name="values"/> trained from a base of norm <paramref name="baseNorm"/>.
    /// A non-finite value gives a non-finite norm, which no bound admits.</summary>
    public static UpdateMagnitude Measure(ReadOnlySpan<float> values, double baseNorm)
    {
        double squares = 0, maxAbs = 0;
        for (var i = 0; i < values.Length; i++)
        {
            double v = values[i];
            squares += v * v;
            var abs = Math.Abs(v);
            if (!(abs <= maxAbs)) maxAbs = abs; // NaN included: it makes the maximum NaN, which no bound admits
        }
        return new UpdateMagnitude(Math.Sqrt(squares), maxAbs, baseNorm);
    }

    /// <summary>The L2 norm of <paramref name="values"/>, summed in double in index order.</summary>
    public static double NormOf(ReadOnlySpan<float> values)
    {
        double squares = 0;
        for (var i = 0; i < values.Length; i++) squares += (double)values[i] * values[i];
        return Math.Sqrt(squares);
    }

    /// <summary>The largest norm the absolute rule admits for a base model of norm <paramref name="baseNorm"/>; the floor
    /// of 1 keeps a zero (or tiny) initial model from refusing every update.</summary>
    public static double NormLimit(double baseNorm, VerificationSpec bounds) => bounds.MaxUpdateNormRatio * Math.Max(1.0, baseNorm);

    /// <summary>Why the update breaks the absolute rule, or null when it keeps it.</summary>
    public static string? Violation(UpdateMagnitude update, VerificationSpec bounds)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(bounds);
        if (!(update.MaxAbs <= bounds.MaxUpdateValue))
            return $"largest |value| {update.MaxAbs:G6} exceeds verification.maxUpdateValue {bounds.MaxUpdateValue:G6}";
        var limit = NormLimit(update.BaseNorm, bounds);
        if (!(update.Norm <= limit))
            return $"L2 norm {update.Norm:G6} exceeds verification.maxUpdateNormRatio {bounds.MaxUpdateNormRatio:G6} x max(1, base model norm {update.BaseNorm:G6}) = {limit:G6}";
        return null;
    }

    /// <summary>One update the relative rule shortened: its index in the round, its norm and the length it was cut to.</summary>
    public sealed record Clip(int Index, double Norm, double Limit);

    /// <summary>
    /// The updates with every one longer than <paramref name="maxNormToMedian"/> x their median norm scaled down to that
    /// length (value x limit / norm, in double, rounded once to float); the others are returned as they are, so a round
    /// where nothing is clipped aggregates exactly the bytes it did before the rule existed.
    /// </summary>
    public static IReadOnlyList<WeightedUpdate> ClipToRound(IReadOnlyList<WeightedUpdate> updates, double maxNormToMedian, out IReadOnlyList<Clip> clipped)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var norms = updates.Select(u => NormOf(u.Values.Span)).ToArray();
        var limit = maxNormToMedian * MedianOf(norms);
        var clips = new List<Clip>();
        var result = new List<WeightedUpdate>(updates.Count);
        for (var k = 0; k < updates.Count; k++)
        {
            if (!(norms[k] > limit))
            {
                result.Add(updates[k]);
                continue;
            }
            var scale = limit / norms[k];
            var source = updates[k].Values.Span;
            var values = new float[source.Length];
            for (var i = 0; i < values.Length; i++) values[i] = (float)(source[i] * scale);
            result.Add(updates[k] with { Values = values });
            clips.Add(new Clip(k, norms[k], limit));
        }
        clipped = clips;
        return result;
    }

    private static double MedianOf(double[] values)
    {
        if (values.Length == 0) return 0;
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        var n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
