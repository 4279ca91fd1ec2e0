using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federated.Chain.Codecs;

namespace Federated.Chain.Rpc;

public sealed record EthereumRpcClientOptions
{
    /// <summary>How long one request may take before it fails with a <see cref="TimeoutException"/>.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Answers larger than this are refused rather than buffered (eth_getLogs can be huge).</summary>
    public long MaxResponseBytes { get; init; } = 32 * 1024 * 1024;
}

/// <summary>An Ethereum JSON-RPC client over HTTP. One request per call, each with its own timeout; the
/// caller's token cancels it. Node errors surface as <see cref="RpcException"/> with revert data decoded
/// against <see cref="Errors"/>.</summary>
public sealed partial class EthereumRpcClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private long _nextId;

    public EthereumRpcClient(Uri endpoint, HttpClient? http = null, EthereumRpcClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Endpoint = endpoint;
        Options = options ?? new EthereumRpcClientOptions();
        _ownsHttp = http is null;
        // The per-request timeout below is the one that counts; HttpClient's own would throw a less clear error.
        _http = http ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    }

    public Uri Endpoint { get; }

    public EthereumRpcClientOptions Options { get; }

    /// <summary>Custom error signatures used to name revert data, e.g. "RoundAlreadyPaid(uint256,bytes32)".</summary>
    public ErrorRegistry Errors { get; } = new();

    /// <summary>Sends one JSON-RPC request and returns its result member (a clone, safe to keep).</summary>
    public async Task<JsonElement> RequestAsync(string method, JsonArray parameters, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        var id = Interlocked.Increment(ref _nextId);
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.RequestTimeout);
        byte[] answer;
        try
        {
            using var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _http.PostAsync(Endpoint, content, timeout.Token).ConfigureAwait(false);
            answer = await ReadBoundedAsync(response, method, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode && answer.Length == 0)
                throw new RpcTransportException($"{method} to {Endpoint} failed with HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} to {Endpoint} did not answer within {Options.RequestTimeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException e)
        {
            throw new RpcTransportException($"{method} to {Endpoint} failed: {e.Message}", e);
        }
        return ParseAnswer(method, answer);
    }

    private async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, string method, CancellationToken cancellationToken)
    {
        var limit = Options.MaxResponseBytes;
        if (response.Content.Headers.ContentLength is { } declared && declared > limit)
            throw new RpcTransportException($"{method} answer is {declared} bytes, over the {limit}-byte limit.");
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
                throw new RpcTransportException($"{method} answer exceeds the {limit}-byte limit.");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private JsonElement ParseAnswer(string method, byte[] answer)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(answer); }
        catch (JsonException e)
        {
            var preview = Encoding.UTF8.GetString(answer, 0, Math.Min(answer.Length, 200));
            throw new RpcTransportException($"{method} answer is not JSON: {e.Message} (starts with \"{preview}\").", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new RpcTransportException($"{method} answer is not a JSON-RPC response object.");
            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                throw ToException(method, error);
            if (!root.TryGetProperty("result", out var result))
                throw new RpcTransportException($"{method} answer has neither result nor error.");
            return result.Clone();
        }
    }

    private RpcException ToException(string method, JsonElement error)
    {
        var code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var parsed) ? parsed : 0;
        var message = error.TryGetProperty("message", out var m) ? m.ToString() : "(no message)";
        JsonElement? data = error.TryGetProperty("data", out var d) ? d.Clone() : null;
        RevertReason? revert = null;
        if (RevertData(data) is { } bytes && (code == 3 || message.Contains("revert", StringComparison.OrdinalIgnoreCase)))
            revert = RevertReason.Decode(bytes, Errors);
        return new RpcException(method, code, message, data, revert);
    }

    /// <summary>Nodes put revert data either directly in data or in data.data.</summary>
    private static byte[]? RevertData(JsonElement? data)
    {
        if (data is not { } element)
            return null;
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("data", out var inner))
            element = inner;
        if (element.ValueKind != JsonValueKind.String || element.GetString() is not { } text || !Hex.HasPrefix(text))
            return null;
        try { return Hex.Decode(text); }
        catch (FormatException) { return null; }
    }

    public void Dispose()
    {
        if (_ownsHttp)
            _http.Dispose();
    }
}
