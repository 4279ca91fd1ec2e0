namespace Federated.Domain.Aggregation;

/// <summary>An update with its aggregation weight (the tokens it was trained on).</summary>
public sealed record WeightedUpdate(ReadOnlyMemory<float> Values, long Weight);

/// <summary>Combines a round's accepted updates into one. Implementations are pure and deterministic:
/// the same updates in the same order give the same bytes.</summary>
public interface IAggregator
{
    string Name { get; }

    float[] Aggregate(IReadOnlyList<WeightedUpdate> updates, int parameterCount);
}
