using Federated.Blobs;
using Federated.Domain.Aggregation;
using Federated.Engine.Parameters;

namespace Federated.Coordinator.Runs;

/// <summary>Checks an update's bytes before the run decides on it: present and intact in the blob store,
/// a well-formed parameter vector of the model's size, every value finite; and measures it for the run's
/// update bounds (<see cref="UpdateBounds"/>), which the run itself applies.</summary>
public static class UpdateValidator
{
    /// <param name="Defect">What is wrong with the bytes, or null.</param>
    /// <param name="Magnitude">The update's size against its base model; null when the bytes could not be read.</param>
    public sealed record Inspection(string? Defect, UpdateMagnitude? Magnitude);

    /// <param name="baseNorm">The L2 norm of the round's base model (<see cref="BaseNormAsync"/>).</param>
    public static async Task<Inspection> InspectAsync(IBlobStore blobs, string updateHash, int parameterCount, double baseNorm,
        CancellationToken cancellationToken = default)
    {
        if (!BlobHash.TryParse(updateHash, out var hash)) return new($"update hash '{Shorten(updateHash)}' is not a SHA-256 hex string", null);
        float[] values;
        try
        {
            values = ParameterCodec.Decode(await blobs.GetAsync(hash, cancellationToken), parameterCount);
        }
        catch (BlobStoreException e)
        {
            return new(e.Message, null);
        }
        catch (ParameterFormatException e)
        {
            return new($"update blob {hash} is malformed: {e.Message}", null);
        }
        var bad = FlatOps.IndexOfNonFinite(values);
        return bad < 0
            ? new(null, UpdateBounds.Measure(values, baseNorm))
            : new($"update value {values[bad]} at index {bad} is not finite", null);
    }

    /// <summary>The L2 norm of a model in the blob store.</summary>
    public static async Task<double> BaseNormAsync(IBlobStore blobs, string modelHash, int parameterCount, CancellationToken cancellationToken = default) =>
        UpdateBounds.NormOf(ParameterCodec.Decode(await blobs.GetAsync(BlobHash.Parse(modelHash), cancellationToken), parameterCount));

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "...";
}
