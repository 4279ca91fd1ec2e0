using System.Text.Json;

namespace Federated.Chain.Rpc;

/// <summary>A JSON-RPC error answer. The message names the method, the node's code and text, and
/// what the revert data says when the node returned any.</summary>
public class RpcException : Exception
{
    public RpcException(string method, int code, string nodeMessage, JsonElement? data, RevertReason? revert)
        : base(Describe(method, code, nodeMessage, revert))
    {
        Method = method;
        Code = code;
        NodeMessage = nodeMessage;
        ErrorData = data;
        Revert = revert;
    }

    public string Method { get; }

    /// <summary>JSON-RPC error code (3 is "execution reverted", -32003 a rejected transaction on anvil/geth).</summary>
    public int Code { get; }

    /// <summary>The error text exactly as the node wrote it.</summary>
    public string NodeMessage { get; }

    /// <summary>The error's data member, if any (for a revert: the revert data as hex).</summary>
    public JsonElement? ErrorData { get; }

    /// <summary>The decoded revert data, when the error is a revert that carried any.</summary>
    public RevertReason? Revert { get; }

    private static string Describe(string method, int code, string nodeMessage, RevertReason? revert) =>
        revert is null
            ? $"{method} failed with JSON-RPC error {code}: {nodeMessage}"
            : $"{method} reverted ({revert}); node said (error {code}): {nodeMessage}";
}

/// <summary>The node could not be reached, did not answer in time, or answered with something that is
/// not a JSON-RPC response.</summary>
public sealed class RpcTransportException(string message, Exception? inner = null) : Exception(message, inner);
