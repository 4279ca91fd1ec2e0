namespace Federated.Domain.Aggregation;

/// <summary>What every robust aggregator requires of its input: updates of the model's size, positive weights,
/// finite values (a NaN has no rank, so no median or distance can be defined).</summary>
internal static class UpdateChecks
{
    public static void Require(string aggregator, IReadOnlyList<WeightedUpdate> updates, int parameterCount)
    {
        ArgumentNullException.ThrowIfNull(updates);
        if (updates.Count == 0) throw new ArgumentException($"{aggregator}: nothing to aggregate: no updates", nameof(updates));
        for (var k = 0; k < updates.Count; k++)
        {
            var u = updates[k];
            if (u.Values.Length != parameterCount)
                throw new ArgumentException($"{aggregator}: update {k} has {u.Values.Length} values, expected {parameterCount}", nameof(updates));
            if (u.Weight <= 0) throw new ArgumentException($"{aggregator}: update {k} has weight {u.Weight}; weights must be positive", nameof(updates));
            var values = u.Values.Span;
            for (var i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                    throw new ArgumentException($"{aggregator}: update {k} has value {values[i]} at index {i}; values must be finite", nameof(updates));
            }
        }
    }

    /// <summary>Sorts update indices by (value, index): a total order, so equal values never make the result
    /// depend on the sort algorithm.</summary>
    public readonly struct ByValueThenIndex(float[] column) : IComparer<int>
    {
        public int Compare(int a, int b)
        {
            var byValue = column[a].CompareTo(column[b]);
            return byValue != 0 ? byValue : a.CompareTo(b);
        }
    }

    /// <summary>Copies coordinate <paramref name="i"/> of every update into <paramref name="column"/>.</summary>
    public static void Column(IReadOnlyList<WeightedUpdate> updates, int i, float[] column)
    {
        for (var k = 0; k < column.Length; k++) column[k] = updates[k].Values.Span[i];
    }
}
