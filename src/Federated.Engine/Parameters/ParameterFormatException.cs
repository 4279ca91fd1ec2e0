namespace Federated.Engine.Parameters;

/// <summary>What was wrong with a parameter blob, so callers can react without parsing messages.</summary>
public enum ParameterFormatError
{
    /// <summary>Shorter than the fixed header.</summary>
    Truncated,
    /// <summary>The first four bytes are not "FEDP".</summary>
    BadMagic,
    /// <summary>A format version this build cannot read.</summary>
    UnsupportedVersion,
    /// <summary>The declared element count does not match the bytes that follow the header.</summary>
    LengthMismatch,
    /// <summary>Well formed, but not the element count the caller expected.</summary>
    UnexpectedCount,
}

/// <summary>A parameter blob that <see cref="ParameterCodec"/> refuses to decode; the message names what is wrong.</summary>
public sealed class ParameterFormatException(ParameterFormatError error, string message) : FormatException(message)
{
    public ParameterFormatError Error { get; } = error;
}
