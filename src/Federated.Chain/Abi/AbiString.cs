using System.Text;

namespace Federated.Chain.Abi;

/// <summary>string: encoded as bytes of its UTF-8 form; decoding refuses invalid UTF-8.</summary>
public sealed class AbiString : AbiType
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static AbiString Instance { get; } = new();

    public override string CanonicalName => "string";

    public override bool IsDynamic => true;

    public override byte[] Encode(object? value)
    {
        if (value is not string text)
            throw WrongValue(value, "a string");
        return AbiBytes.EncodeRaw(StrictUtf8.GetBytes(text));
    }

    internal override object Decode(ref AbiReader reader, int position)
    {
        var bytes = AbiBytes.DecodeRaw(ref reader, position, this);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new AbiException($"string at offset {position} is not valid UTF-8.");
        }
    }
}
