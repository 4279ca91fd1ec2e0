namespace Federated.Domain.Aggregation;

/// <summary>
/// Centered clipping (after Karimireddy, He and Jaggi 2021), stateless: start from the coordinate-wise median v and
/// repeat v += mean_i((u_i - v) * min(1, tau / |u_i - v|)) for <see cref="AggregatorSettings.ClippingIterations"/> steps.
/// The mean is unweighted, so a worker that claims more tokens gains no pull. tau is the stated radius or, unset,
/// the median distance of the updates from the coordinate-wise median, which keeps the rule free of the model's scale.
/// An update can move the centre by at most tau / n per step, however large it is.
/// </summary>
public sealed class CenteredClipping(AggregatorSettings settings) : IAggregator
{
    public const string AggregatorName = "centered-clipping";

    public CenteredClipping() : this(AggregatorSettings.Default) { }

    public string Name => AggregatorName;

    public float[] Aggregate(IReadOnlyList<WeightedUpdate> updates, int parameterCount)
    {
        UpdateChecks.Require(Name, updates, parameterCount);
        var n = updates.Count;
        ByzantineTolerance.Resolve(Name, n, settings);
        if (settings.ClippingIterations < 1)
            throw new ArgumentException($"{Name}: clipping iterations must be at least 1, got {settings.ClippingIterations}", nameof(settings));
        if (settings.ClippingRadius is { } stated && !(float.IsFinite(stated) && stated > 0))
            throw new ArgumentException($"{Name}: clipping radius must be a positive number, got {stated}", nameof(settings));

        var centre = new double[parameterCount];
        var start = new CoordinateMedian(AggregatorSettings.Default).Aggregate(updates, parameterCount);
        for (var i = 0; i < parameterCount; i++) centre[i] = start[i];

        var distances = new double[n];
        for (var k = 0; k < n; k++) distances[k] = Distance(updates[k].Values.Span, centre);
        var tau = settings.ClippingRadius ?? MedianOf(distances);
        if (tau <= 0) return start; // every update sits on the median: nothing to move

        var step = new double[parameterCount];
        for (var iteration = 0; iteration < settings.ClippingIterations; iteration++)
        {
            if (iteration > 0)
                for (var k = 0; k < n; k++) distances[k] = Distance(updates[k].Values.Span, centre);
            Array.Clear(step);
            for (var k = 0; k < n; k++)
            {
                if (distances[k] == 0) continue;
                var scale = Math.Min(1.0, tau / distances[k]);
                var values = updates[k].Values.Span;
                for (var i = 0; i < parameterCount; i++) step[i] += ((double)values[i] - centre[i]) * scale;
            }
            for (var i = 0; i < parameterCount; i++) centre[i] += step[i] / n;
        }

        var result = new float[parameterCount];
        for (var i = 0; i < parameterCount; i++) result[i] = (float)centre[i];
        return result;
    }

    private static double Distance(ReadOnlySpan<float> values, double[] centre)
    {
        double sum = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var d = values[i] - centre[i];
            sum += d * d;
        }
        return Math.Sqrt(sum);
    }

    private static double MedianOf(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        var n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
