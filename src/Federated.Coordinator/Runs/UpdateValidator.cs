using Federated.Blobs;
using Federated.Engine.Parameters;

namespace Federated.Coordinator.Runs;

/// <summary>Checks an update's bytes before the run decides on it: present and intact in the blob store,
/// a well-formed parameter vector of the model's size, every value finite. Returns the defect, or null.</summary>
public static class UpdateValidator
{
    public static async Task<string?> FindDefectAsync(IBlobStore blobs, string updateHash, int parameterCount, CancellationToken cancellationToken = default)
    {
        if (!BlobHash.TryParse(updateHash, out var hash)) return $"update hash '{Shorten(updateHash)}' is not a SHA-256 hex string";
        float[] values;
        try
        {
            values = ParameterCodec.Decode(await blobs.GetAsync(hash, cancellationToken), parameterCount);
        }
        catch (BlobStoreException e)
        {
            return e.Message;
        }
        catch (ParameterFormatException e)
        {
            return $"update blob {hash} is malformed: {e.Message}";
        }
        var bad = FlatOps.IndexOfNonFinite(values);
        return bad < 0 ? null : $"update value {values[bad]} at index {bad} is not finite";
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "...";
}
