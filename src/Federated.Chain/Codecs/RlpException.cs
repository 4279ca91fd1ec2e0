namespace Federated.Chain.Codecs;

/// <summary>Malformed or non-canonical RLP. The message names the byte offset where it went wrong.</summary>
public sealed class RlpException : FormatException
{
    public RlpException(string message) : base(message) { }

    public RlpException(string message, int offset) : base($"{message} (at offset {offset})")
    {
        Offset = offset;
    }

    /// <summary>Byte offset into the decoded input, or -1 when the error is not about a position.</summary>
    public int Offset { get; } = -1;
}
