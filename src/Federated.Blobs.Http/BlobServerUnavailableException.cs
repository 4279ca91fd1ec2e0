namespace Federated.Blobs.Http;

/// <summary>The blob server could not be reached, or kept failing, for every attempt an operation was allowed.</summary>
public sealed class BlobServerUnavailableException(string operation, Uri url, int attempts, TimeSpan elapsed, string lastFailure)
    : BlobStoreException($"{operation} {url} gave up after {attempts} attempt{(attempts == 1 ? "" : "s")} over {elapsed.TotalSeconds:0.0} s; last failure: {lastFailure}")
{
    public Uri Url { get; } = url;
    public int Attempts { get; } = attempts;
}
