namespace Federated.Domain.Verification;

/// <summary>How a run checks what workers send: spot checks (re-training a sampled fraction of shards) and the update
/// bounds. Part of <see cref="Runs.RunSpec"/>; read by aggregation, which applies the bounds.</summary>
/// <param name="SampleRate">Fraction of shards re-trained by the coordinator, chosen by the run seed; 0 turns spot checks off.</param>
/// <remarks>The update bounds (<see cref="Aggregation.UpdateBounds"/>) are here too: like spot checks, they decide whether a
/// worker's update is believed. A spec written before they existed reads the defaults, which no honest update reaches.</remarks>
public sealed record VerificationSpec(double SampleRate)
{
    public const double DefaultSampleRate = 0.1;
    public const double DefaultMaxUpdateValue = 1e3;
    public const double DefaultMaxUpdateNormRatio = 10;
    public const double DefaultMaxNormToMedian = 5;

    public VerificationSpec() : this(DefaultSampleRate) { }

    /// <summary>An update with a value of larger magnitude is rejected (update-norm-out-of-bounds).</summary>
    public double MaxUpdateValue { get; init; } = DefaultMaxUpdateValue;

    /// <summary>An update whose L2 norm exceeds this times max(1, L2 norm of the round's base model) is rejected.</summary>
    public double MaxUpdateNormRatio { get; init; } = DefaultMaxUpdateNormRatio;

    /// <summary>At aggregation, under every aggregator, an update longer than this times the median L2 norm of the round's
    /// accepted updates is scaled down to that length.</summary>
    public double MaxNormToMedian { get; init; } = DefaultMaxNormToMedian;
}
