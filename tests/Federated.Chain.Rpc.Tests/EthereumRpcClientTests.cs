using System.Net;
using System.Text;
using Federated.Chain.Abi;
using Federated.Chain.Codecs;

namespace Federated.Chain.Rpc.Tests;

/// <summary>The client's error handling against canned HTTP answers; no node needed.</summary>
public sealed class EthereumRpcClientTests
{
    private static EthereumRpcClient ClientAnswering(string json, EthereumRpcClientOptions? options = null) =>
        new(new Uri("http://127.0.0.1:1/"), new CannedHandler(json), options);

    [Fact]
    public async Task A_JSON_RPC_error_names_the_method_code_and_message()
    {
        using var client = ClientAnswering("""{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found"}}""");

        var error = await Assert.ThrowsAsync<RpcException>(() => client.BlockNumberAsync());

        Assert.Equal("eth_blockNumber failed with JSON-RPC error -32601: Method not found", error.Message);
    }

    [Fact]
    public async Task An_Error_string_revert_is_decoded()
    {
        var data = Hex.Encode(AbiFunction.Parse("Error(string)").EncodeCall("not allowed"));
        using var client = ClientAnswering($$$"""{"jsonrpc":"2.0","id":1,"error":{"code":3,"message":"execution reverted","data":"{{{data}}}"}}""");

        var error = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync(new CallRequest { To = EthereumAddress.Zero }));

        Assert.Equal("eth_call reverted (Error(\"not allowed\")); node said (error 3): execution reverted", error.Message);
    }

    [Fact]
    public async Task An_unknown_custom_error_shows_its_selector()
    {
        using var client = ClientAnswering("""{"jsonrpc":"2.0","id":1,"error":{"code":3,"message":"execution reverted","data":"0xdeadbeef"}}""");

        var error = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync(new CallRequest { To = EthereumAddress.Zero }));

        Assert.Equal("custom error with selector 0xdeadbeef (signature unknown), data 0xdeadbeef", error.Revert?.Text);
    }

    [Fact]
    public async Task A_registered_custom_error_is_shown_by_name_with_its_arguments()
    {
        var data = Hex.Encode(AbiFunction.Parse("ZeroCommitment(uint256)").EncodeCall(12));
        using var client = ClientAnswering($$$"""{"jsonrpc":"2.0","id":1,"error":{"code":3,"message":"execution reverted","data":"{{{data}}}"}}""");
        client.Errors.Add("ZeroCommitment(uint256)");

        var error = await Assert.ThrowsAsync<RpcException>(() => client.EstimateGasAsync(new CallRequest { To = EthereumAddress.Zero }));

        Assert.Equal("ZeroCommitment(12)", error.Revert?.Text);
    }

    [Fact]
    public async Task An_answer_over_the_size_limit_is_refused()
    {
        var big = $$"""{"jsonrpc":"2.0","id":1,"result":"0x{{new string('0', 4096)}}"}""";
        using var client = ClientAnswering(big, new EthereumRpcClientOptions { MaxResponseBytes = 1024 });

        var error = await Assert.ThrowsAsync<RpcTransportException>(() => client.CallAsync(new CallRequest { To = EthereumAddress.Zero }));

        Assert.Contains("over the 1024-byte limit", error.Message);
    }

    [Fact]
    public async Task A_streamed_answer_without_a_length_is_cut_off_at_the_size_limit()
    {
        var big = $$"""{"jsonrpc":"2.0","id":1,"result":"0x{{new string('0', 4096)}}"}""";
        using var client = new EthereumRpcClient(new Uri("http://127.0.0.1:1/"), new StreamingHandler(Encoding.UTF8.GetBytes(big)),
            new EthereumRpcClientOptions { MaxResponseBytes = 1024 });

        var error = await Assert.ThrowsAsync<RpcTransportException>(() => client.CallAsync(new CallRequest { To = EthereumAddress.Zero }));

        Assert.Equal("eth_call answer is over the 1024-byte limit.", error.Message);
    }

    [Fact]
    public async Task An_HTTP_error_status_is_a_transport_error_naming_the_status()
    {
        using var client = new EthereumRpcClient(new Uri("http://127.0.0.1:1/"), new CannedHandler("upstream down", HttpStatusCode.BadGateway));

        var error = await Assert.ThrowsAsync<RpcTransportException>(() => client.BlockNumberAsync());

        Assert.StartsWith("eth_blockNumber to http://127.0.0.1:1/ failed: ", error.Message);
        Assert.Contains("502", error.Message);
    }

    [Fact]
    public async Task Our_per_request_timeout_decides_not_the_librarys_process_wide_one()
    {
        using var client = ClientAnswering("""{"jsonrpc":"2.0","id":1,"result":"0x7"}""");

        Assert.Equal(7UL, await client.BlockNumberAsync());
        // Nethereum's ConnectionTimeout (20 s by default, for the whole process) would cut requests our 30 s allows.
        Assert.Equal(Timeout.InfiniteTimeSpan, Nethereum.JsonRpc.Client.ClientBase.ConnectionTimeout);
    }

    [Fact]
    public async Task An_answer_that_is_not_JSON_is_a_transport_error_naming_the_method()
    {
        using var client = ClientAnswering("<html>bad gateway</html>");

        var error = await Assert.ThrowsAsync<RpcTransportException>(() => client.ChainIdAsync());

        Assert.StartsWith("eth_chainId answer is not JSON", error.Message);
    }

    [Fact]
    public async Task A_node_that_never_answers_times_out_with_the_method_named()
    {
        using var client = new EthereumRpcClient(new Uri("http://127.0.0.1:1/"), new SilentHandler(),
            new EthereumRpcClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(100) });

        var error = await Assert.ThrowsAsync<TimeoutException>(() => client.ChainIdAsync());

        Assert.Equal("eth_chainId to http://127.0.0.1:1/ did not answer within 0.1 s.", error.Message);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_reported_as_a_timeout()
    {
        using var client = new EthereumRpcClient(new Uri("http://127.0.0.1:1/"), new SilentHandler());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ChainIdAsync(cancel.Token));
    }

    private sealed class CannedHandler(string json, HttpStatusCode status = HttpStatusCode.OK) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
    }

    /// <summary>Answers with a body of unknown length (as a chunked answer arrives), so only counting can stop it.</summary>
    private sealed class StreamingHandler(byte[] body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new StreamContent(new UnknownLengthStream(body));
            Assert.Null(content.Headers.ContentLength);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }

    private sealed class UnknownLengthStream(byte[] body) : MemoryStream(body)
    {
        public override bool CanSeek => false;
    }

    private sealed class SilentHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
