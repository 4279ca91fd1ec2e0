using System.Text.Json;

namespace Federated.Blobs.Http;

/// <summary>The parts of a problem+json answer the client acts on; empty when the body is not one.</summary>
internal sealed record BlobProblem(string? Type, string? Detail, long? Limit)
{
    // An error body is a few hundred bytes; a server sending more is not worth reading.
    private const long MaxProblemBytes = 64 * 1024;

    public static readonly BlobProblem None = new(null, null, null);

    public static async Task<BlobProblem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType is not ("application/problem+json" or "application/json")) return None;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var body = await CappedBody.ReadAsync(stream, response.Content.Headers.ContentLength, MaxProblemBytes, cancellationToken);
            if (body is null) return None;
            using var json = JsonDocument.Parse(body.Buffer.AsMemory(0, body.Length));
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return None;
            return new BlobProblem(
                StringOf(root, "type"),
                StringOf(root, "detail"),
                root.TryGetProperty(BlobProblems.LimitExtension, out var limit) && limit.ValueKind == JsonValueKind.Number && limit.TryGetInt64(out var l) ? l : null);
        }
        catch (JsonException)
        {
            return None;
        }
    }

    private static string? StringOf(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
