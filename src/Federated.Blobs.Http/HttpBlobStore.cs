using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Federated.Blobs.Http;

/// <summary>
/// The worker's view of the coordinator's blob store, over <see cref="BlobEndpoints"/>. Uploads are hashed here
/// and downloads are checked here, so a faulty server or network can refuse a blob but never hand over a wrong one.
/// Connection failures, timeouts, 408, 429 and 5xx are retried with doubling delays up to
/// <see cref="HttpBlobStoreOptions.MaxAttempts"/>; then <see cref="BlobServerUnavailableException"/>.
/// </summary>
public sealed class HttpBlobStore : ICredentialedBlobStore, IDisposable
{
    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly HttpBlobStoreOptions _options;
    private readonly Uri _blobsBase;

    /// <summary>A store with its own <see cref="HttpClient"/>, disposed with it.</summary>
    public HttpBlobStore(HttpBlobStoreOptions options)
        : this(new HttpClient(OwnHandler()) { Timeout = System.Threading.Timeout.InfiniteTimeSpan }, options, ownsHttp: true)
    {
    }

    private static SocketsHttpHandler OwnHandler() => new()
    {
        // A host that drops packets would otherwise hold each attempt for the whole Timeout before the next try.
        ConnectTimeout = TimeSpan.FromSeconds(10),
        // New connections now and then, so a coordinator that moved behind the same name is found again.
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    };

    /// <summary>A store over the caller's client (left open on dispose). Its own <see cref="HttpClient.Timeout"/> still applies.</summary>
    public HttpBlobStore(HttpClient http, HttpBlobStoreOptions options)
        : this(http, options, ownsHttp: false)
    {
    }

    private HttpBlobStore(HttpClient http, HttpBlobStoreOptions options, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = http;
        _ownsHttp = ownsHttp;
        _options = options;
        var root = options.BaseAddress.AbsoluteUri;
        _blobsBase = new Uri(new Uri(root.EndsWith('/') ? root : root + "/"), BlobEndpoints.RoutePrefix.TrimStart('/') + "/");
    }

    public Uri UrlOf(BlobHash hash) => new(_blobsBase, hash.Hex);

    /// <summary>This store sending <paramref name="token"/> instead (over the same connections, which stay this store's).</summary>
    public IBlobStore WithCredential(string token) => new HttpBlobStore(_http, _options with { AccessToken = token }, ownsHttp: false);

    public async Task<BlobHash> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        if (content.Length > _options.MaxBlobBytes) throw new BlobTooLargeException(content.Length, _options.MaxBlobBytes);
        var hash = BlobHash.Of(content.Span);
        var url = UrlOf(hash);
        await WithRetriesAsync(HttpMethod.Put, url, async token =>
        {
            using var request = NewRequest(HttpMethod.Put, url);
            request.Content = new ReadOnlyMemoryContent(content);
            request.Content.Headers.ContentType = OctetStream;
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
            if (response.IsSuccessStatusCode) return true;

            var problem = await BlobProblem.ReadAsync(response, token);
            if (response.StatusCode == HttpStatusCode.RequestEntityTooLarge && problem.Limit is { } limit)
                throw new BlobTooLargeException(content.Length, limit);
            throw Failure(HttpMethod.Put, url, hash, response, problem);
        }, cancellationToken);
        return hash;
    }

    public Task<byte[]> GetAsync(BlobHash hash, CancellationToken cancellationToken = default)
    {
        var url = UrlOf(hash);
        var max = _options.MaxBlobBytes;
        return WithRetriesAsync(HttpMethod.Get, url, async token =>
        {
            using var request = NewRequest(HttpMethod.Get, url);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
            if (response.StatusCode != HttpStatusCode.OK)
                throw Failure(HttpMethod.Get, url, hash, response, await BlobProblem.ReadAsync(response, token));

            var declared = response.Content.Headers.ContentLength;
            if (declared > max)
                throw new BlobCorruptedException(hash, url.ToString(), $"the server offers {declared} bytes, over this client's limit of {max} bytes");
            await using var stream = await response.Content.ReadAsStreamAsync(token);
            var body = await CappedBody.ReadAsync(stream, declared, max, token)
                ?? throw new BlobCorruptedException(hash, url.ToString(), $"the server sent more than this client's limit of {max} bytes");
            if (body.Hash != hash)
                throw new BlobCorruptedException(hash, url.ToString(), $"the server sent {body.Length} bytes that hash to {body.Hash}");
            return body.ToArray();
        }, cancellationToken);
    }

    public Task<bool> ExistsAsync(BlobHash hash, CancellationToken cancellationToken = default)
    {
        var url = UrlOf(hash);
        return WithRetriesAsync(HttpMethod.Head, url, async token =>
        {
            using var request = NewRequest(HttpMethod.Head, url);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => true,
                HttpStatusCode.NotFound => false,
                _ => throw Failure(HttpMethod.Head, url, hash, response, BlobProblem.None),
            };
        }, cancellationToken);
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    private HttpRequestMessage NewRequest(HttpMethod method, Uri url)
    {
        var request = new HttpRequestMessage(method, url);
        if (_options.AccessToken is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    /// <summary>What a non-success answer means: a transient failure (retried) or a final typed error.</summary>
    private static Exception Failure(HttpMethod method, Uri url, BlobHash hash, HttpResponseMessage response, BlobProblem problem)
    {
        var status = (int)response.StatusCode;
        var said = $"{method} {url} answered {status} {response.ReasonPhrase}{(problem.Detail is { } d ? $": {d}" : "")}";
        if (problem.Type == BlobProblems.NotFound) return new BlobNotFoundException(hash, $"the blob server at {url.GetLeftPart(UriPartial.Authority)}");
        if (problem.Type == BlobProblems.Corrupted) return new BlobCorruptedException(hash, url.ToString(), $"the server refused to serve it: {problem.Detail}");
        if (response.StatusCode == HttpStatusCode.NotFound)
            return new BlobStoreException($"{said}, without the blob routes' answer; is the base address right?");
        if (status is 408 or 429 or >= 500) return new TransientBlobFailure(said, RetryAfterOf(response));
        return new BlobStoreException(said);
    }

    private async Task<T> WithRetriesAsync<T>(HttpMethod method, Uri url, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var busyWaited = TimeSpan.Zero;
        for (var tries = 1; ; tries++)
        {
            string failure;
            TimeSpan? askedWait = null;
            using (var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attemptTimeout.CancelAfter(_options.Timeout);
                try
                {
                    return await attempt(attemptTimeout.Token);
                }
                catch (TransientBlobFailure e) { failure = e.Message; askedWait = e.RetryAfter; }
                catch (HttpRequestException e) { failure = $"{method} {url} failed: {e.Message}"; }
                catch (IOException e) { failure = $"{method} {url} failed: {e.Message}"; }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = $"{method} {url} had no complete answer within {_options.Timeout.TotalSeconds:0.###} s";
                }
            }
            // A busy server that says when to come back is answering, not failing: its waits spend their own budget
            // (MaxBusyWait), not the tries, so a worker queues behind a full server instead of giving its shard up.
            if (askedWait is { } asked && asked >= TimeSpan.FromSeconds(1) && busyWaited + asked <= _options.MaxBusyWait)
            {
                busyWaited += asked;
                tries--;
                await Task.Delay(asked, cancellationToken);
                continue;
            }
            if (tries >= _options.MaxAttempts)
                throw new BlobServerUnavailableException(method.Method, url, tries, Stopwatch.GetElapsedTime(started), failure);
            // A busy server's Retry-After is honoured: coming back sooner would only be refused again.
            var wait = RetryDelay(tries);
            if (askedWait > wait) wait = askedWait.Value;
            await Task.Delay(wait, cancellationToken);
        }
    }

    /// <summary>The wait after the given failed attempt: doubling from the first delay up to the cap, jittered by
    /// up to 20% so that many workers do not return to a restarted server in step.</summary>
    private TimeSpan RetryDelay(int failedAttempts)
    {
        var doubled = _options.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        var capped = Math.Min(doubled, _options.MaxRetryDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + 0.4 * Random.Shared.NextDouble()));
    }

    /// <summary>The wait a busy server asks for (Retry-After, seconds or a date), capped so a hostile one cannot stall us.</summary>
    private static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (wait is not { } w) return null;
        return TimeSpan.FromTicks(Math.Clamp(w.Ticks, 0, MaxRetryAfter.Ticks));
    }

    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);

    private sealed class TransientBlobFailure(string message, TimeSpan? retryAfter = null) : Exception(message)
    {
        public TimeSpan? RetryAfter { get; } = retryAfter;
    }
}
