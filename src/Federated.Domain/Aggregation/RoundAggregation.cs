using Federated.Domain.Verification;

namespace Federated.Domain.Aggregation;

/// <summary>A round's aggregate or next model has a value that is not a finite number: it is never recorded as a model.</summary>
public sealed class NonFiniteModelException(string message) : InvalidOperationException(message);

/// <summary>
/// A round's next model from its base and its accepted updates, the one path the coordinator and `fed verify` share:
/// the relative bound (<see cref="UpdateBounds.ClipToRound"/>), then the run's aggregator, then the outer step, and a
/// refusal of any aggregate or model that is not finite. Pure and deterministic.
/// </summary>
public static class RoundAggregation
{
    /// <param name="Next">The next model: base + outer learning rate x aggregate.</param>
    /// <param name="Aggregate">The aggregated update, before the outer step.</param>
    /// <param name="Clipped">The updates the relative bound shortened (none in an honest round).</param>
    public sealed record Result(float[] Next, float[] Aggregate, IReadOnlyList<UpdateBounds.Clip> Clipped);

    /// <exception cref="NonFiniteModelException">The aggregate or the next model holds a NaN or an infinity.</exception>
    public static Result Compute(ReadOnlySpan<float> baseWeights, IReadOnlyList<WeightedUpdate> updates, string aggregator,
        AggregatorSettings settings, VerificationSpec bounds, float outerLearningRate)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        var bounded = UpdateBounds.ClipToRound(updates, bounds.MaxNormToMedian, out var clipped);
        var aggregate = Aggregators.Create(aggregator, settings).Aggregate(bounded, baseWeights.Length);
        RequireFinite(aggregate, $"the {aggregator} aggregate of {updates.Count} updates");
        var next = Aggregators.ApplyOuterStep(baseWeights, aggregate, outerLearningRate);
        RequireFinite(next, $"the next model (base + {outerLearningRate} x aggregate)");
        return new Result(next, aggregate, clipped);
    }

    private static void RequireFinite(float[] values, string what)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                throw new NonFiniteModelException($"{what} has value {values[i]} at index {i}; a model must be finite");
        }
    }
}
