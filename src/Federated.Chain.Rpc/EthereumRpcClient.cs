using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federated.Chain.Codecs;
using Nethereum.JsonRpc.Client;
using Nethereum.JsonRpc.Client.RpcMessages;
using Newtonsoft.Json.Linq;
using NewtonsoftJson = Newtonsoft.Json;

namespace Federated.Chain.Rpc;

public sealed record EthereumRpcClientOptions
{
    /// <summary>How long one request may take before it fails with a <see cref="TimeoutException"/>.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Answers larger than this are refused rather than buffered (eth_getLogs can be huge).</summary>
    public long MaxResponseBytes { get; init; } = 32 * 1024 * 1024;
}

/// <summary>An Ethereum JSON-RPC client over HTTP: Nethereum's <see cref="RpcClient"/> writes the requests and reads
/// the answers; this adapter adds what the library lacks. Each request has its own timeout and the caller's token
/// cancels it; answers over <see cref="EthereumRpcClientOptions.MaxResponseBytes"/> are refused while they stream in
/// (both through <see cref="RpcCallHandler"/> on the library's HttpClient). Node errors surface as
/// <see cref="RpcException"/> with revert data decoded against <see cref="Errors"/>; an unreachable node, an answer
/// that is not JSON-RPC or one over the limit as <see cref="RpcTransportException"/>.</summary>
public sealed partial class EthereumRpcClient : IDisposable
{
    private static readonly NewtonsoftJson.JsonSerializerSettings Serializer = new()
    {
        NullValueHandling = NewtonsoftJson.NullValueHandling.Ignore,
        MissingMemberHandling = NewtonsoftJson.MissingMemberHandling.Ignore,
        // Results are handed on as JSON: strings stay strings, never DateTimes.
        DateParseHandling = NewtonsoftJson.DateParseHandling.None,
    };

    private static readonly JsonElement JsonNull = JsonDocument.Parse("null").RootElement.Clone();

    private readonly HttpClient _http;
    private readonly RpcClient _rpc;
    private long _nextId;

    static EthereumRpcClient()
    {
        // The library's only timeout is one process-wide setting (20 s by default) that would cut requests our
        // per-client RequestTimeout allows; RpcCallHandler enforces ours, so the library's is turned off.
        ClientBase.ConnectionTimeout = Timeout.InfiniteTimeSpan;
    }

    /// <param name="endpoint">The node's HTTP endpoint.</param>
    /// <param name="handler">The HTTP handler to send through (tests pass canned ones); the client takes
    /// ownership of it. By default a <see cref="SocketsHttpHandler"/>.</param>
    /// <param name="options">Timeout and answer-size limit.</param>
    public EthereumRpcClient(Uri endpoint, HttpMessageHandler? handler = null, EthereumRpcClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Endpoint = endpoint;
        Options = options ?? new EthereumRpcClientOptions();
        _http = new HttpClient(new RpcCallHandler(handler ?? new SocketsHttpHandler())) { Timeout = Timeout.InfiniteTimeSpan };
        _rpc = new RpcClient(endpoint, _http, jsonSerializerSettings: Serializer);
    }

    public Uri Endpoint { get; }

    public EthereumRpcClientOptions Options { get; }

    /// <summary>Custom error signatures used to name revert data, e.g. "RoundAlreadyPaid(uint256,bytes32)".</summary>
    public ErrorRegistry Errors { get; } = new();

    /// <summary>Sends one JSON-RPC request and returns its result member (a JSON null where the node answered
    /// none).</summary>
    public async Task<JsonElement> RequestAsync(string method, JsonArray parameters, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(parameters);
        var request = new RpcRequestMessage(Interlocked.Increment(ref _nextId), method, ToNewtonsoft(parameters));
        using var call = new RpcCall(method, Options.MaxResponseBytes, Options.RequestTimeout, cancellationToken);
        // Flows with this request only (an async method's AsyncLocal change does not reach its caller).
        RpcCall.Current.Value = call;
        RpcResponseMessage? response;
        try
        {
            response = await _rpc.SendAsync(request).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw Translate(call, e);
        }
        if (response is null)
            throw new RpcTransportException($"{method} answer from {Endpoint} is empty.");
        if (response.Error is { } error)
            throw ToException(method, error);
        return ToElement(response.Result);
    }

    /// <summary>What a failed send means, decided by our own tokens first (the library reports every
    /// cancellation as its timeout) and then by the cause it wrapped.</summary>
    private Exception Translate(RpcCall call, Exception error)
    {
        var method = call.Method;
        if (call.CallerToken.IsCancellationRequested)
            return new OperationCanceledException($"{method} to {Endpoint} was cancelled.", error, call.CallerToken);
        if (call.TimedOut)
            return new TimeoutException($"{method} to {Endpoint} did not answer within {Options.RequestTimeout.TotalSeconds:0.#} s.");
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case RpcTransportException transport:
                    return transport;
                case NewtonsoftJson.JsonReaderException json:
                    return new RpcTransportException($"{method} answer is not JSON: {json.Message}{call.BodyPreview}", json);
                case NewtonsoftJson.JsonException json:
                    return new RpcTransportException($"{method} answer is not a JSON-RPC response: {json.Message}{call.BodyPreview}", json);
                case HttpRequestException or IOException:
                    return new RpcTransportException($"{method} to {Endpoint} failed: {e.Message}{call.BodyPreview}", e);
            }
        }
        return error;
    }

    private RpcException ToException(string method, Nethereum.JsonRpc.Client.RpcMessages.RpcError error)
    {
        var message = error.Message ?? "(no message)";
        JsonElement? data = error.Data is null ? null : ToElement(error.Data);
        RevertReason? revert = null;
        if (RevertData(data) is { } bytes && (error.Code == 3 || message.Contains("revert", StringComparison.OrdinalIgnoreCase)))
            revert = RevertReason.Decode(bytes, Errors);
        return new RpcException(method, error.Code, message, data, revert);
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

    /// <summary>Our parameters as the library's JSON values (read without turning date-like strings into dates).</summary>
    private static object[] ToNewtonsoft(JsonArray parameters)
    {
        using var reader = new NewtonsoftJson.JsonTextReader(new StringReader(parameters.ToJsonString()))
        {
            DateParseHandling = NewtonsoftJson.DateParseHandling.None,
        };
        return [.. JArray.Load(reader)];
    }

    /// <summary>A result or error data as the library read it (a JToken, or a plain string or number for a
    /// primitive) back as System.Text.Json, which the typed methods and callers read.</summary>
    private static JsonElement ToElement(object? value)
    {
        if (value is null)
            return JsonNull;
        if (value is JsonElement element)
            return element.Clone();
        var token = value as JToken ?? JToken.FromObject(value);
        using var document = JsonDocument.Parse(token.ToString(NewtonsoftJson.Formatting.None));
        return document.RootElement.Clone();
    }

    public void Dispose() => _http.Dispose();

    /// <summary>One request in flight: its method, limit, timeout joined to the caller's token, and the answer's
    /// bytes once read (for error messages).</summary>
    internal sealed class RpcCall : IDisposable
    {
        public static readonly AsyncLocal<RpcCall?> Current = new();

        private readonly CancellationTokenSource _deadline;

        public RpcCall(string method, long maxResponseBytes, TimeSpan timeout, CancellationToken callerToken)
        {
            Method = method;
            MaxResponseBytes = maxResponseBytes;
            CallerToken = callerToken;
            _deadline = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
            _deadline.CancelAfter(timeout);
        }

        public string Method { get; }

        public long MaxResponseBytes { get; }

        public CancellationToken CallerToken { get; }

        /// <summary>Cancelled by the caller or when the request's time is up.</summary>
        public CancellationToken Token => _deadline.Token;

        public bool TimedOut => _deadline.IsCancellationRequested && !CallerToken.IsCancellationRequested;

        public byte[]? Body { get; set; }

        public string BodyPreview => Body is { Length: > 0 } body
            ? $" (starts with \"{Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200))}\")"
            : "";

        public void Dispose() => _deadline.Dispose();
    }

    /// <summary>Sits under the library's HttpClient: sends with the request's own deadline and the caller's token,
    /// and reads the answer into memory counting bytes as they arrive, refusing it past the limit, before the
    /// library parses it.</summary>
    internal sealed class RpcCallHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = RpcCall.Current.Value
                ?? throw new InvalidOperationException("A JSON-RPC request was sent outside EthereumRpcClient.RequestAsync.");
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call.Token);
            var response = await base.SendAsync(request, linked.Token).ConfigureAwait(false);
            try
            {
                var body = await ReadBoundedAsync(response.Content, call, linked.Token).ConfigureAwait(false);
                call.Body = body;
                var buffered = new ByteArrayContent(body);
                buffered.Headers.ContentType = response.Content.Headers.ContentType;
                response.Content.Dispose();
                response.Content = buffered;
                return response;
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }

        private static async Task<byte[]> ReadBoundedAsync(HttpContent content, RpcCall call, CancellationToken cancellationToken)
        {
            var limit = call.MaxResponseBytes;
            if (content.Headers.ContentLength is { } declared && declared > limit)
                throw new RpcTransportException($"{call.Method} answer is {declared} bytes, over the {limit}-byte limit.");
            await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                    throw new RpcTransportException($"{call.Method} answer is over the {limit}-byte limit.");
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
    }
}
