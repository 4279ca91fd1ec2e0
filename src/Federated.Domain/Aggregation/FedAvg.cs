namespace Federated.Domain.Aggregation;

/// <summary>Federated averaging weighted by tokens: sum(w_i * u_i) / sum(w_i), accumulated in double in update order.</summary>
public sealed class FedAvg : IAggregator
{
    public const string AggregatorName = "fedavg";

    public string Name => AggregatorName;

    public float[] Aggregate(IReadOnlyList<WeightedUpdate> updates, int parameterCount)
    {
        if (updates.Count == 0) throw new ArgumentException("nothing to aggregate: no updates", nameof(updates));
        long total = 0;
        for (var k = 0; k < updates.Count; k++)
        {
            var u = updates[k];
            if (u.Values.Length != parameterCount)
                throw new ArgumentException($"update {k} has {u.Values.Length} values, expected {parameterCount}", nameof(updates));
            if (u.Weight <= 0) throw new ArgumentException($"update {k} has weight {u.Weight}; weights must be positive", nameof(updates));
            total = checked(total + u.Weight);
        }

        var sum = new double[parameterCount];
        foreach (var u in updates)
        {
            var w = (double)u.Weight;
            var values = u.Values.Span;
            for (var i = 0; i < sum.Length; i++) sum[i] += w * values[i];
        }
        var result = new float[parameterCount];
        for (var i = 0; i < result.Length; i++) result[i] = (float)(sum[i] / total);
        return result;
    }
}
