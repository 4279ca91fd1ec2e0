using System.Text;
using Federated.Chain.Hashing;

namespace Federated.Chain.Signing;

/// <summary>Ethereum-level signing: addresses from keys, EIP-191 personal messages, signer recovery.</summary>
public static class EthSigner
{
    public static EthereumAddress AddressOf(ReadOnlySpan<byte> privateKey) =>
        EthereumAddress.FromPublicKey(Secp256k1.PublicKey(privateKey));

    public static EcdsaSignature SignHash(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> privateKey) =>
        Secp256k1.Sign(hash, privateKey);

    public static EthereumAddress RecoverAddress(ReadOnlySpan<byte> hash, EcdsaSignature signature) =>
        EthereumAddress.FromPublicKey(Secp256k1.Recover(hash, signature));

    /// <summary>EIP-191 version 0x45: keccak("\x19Ethereum Signed Message:\n" + decimal length + message).</summary>
    public static byte[] HashMessage(ReadOnlySpan<byte> message)
    {
        var prefix = Encoding.UTF8.GetBytes($"\u0019Ethereum Signed Message:\n{message.Length}");
        return Keccak256.HashConcat(prefix, message.ToArray());
    }

    public static byte[] HashMessage(string message) => HashMessage(Encoding.UTF8.GetBytes(message));

    /// <summary>personal_sign: signs the EIP-191 hash of the message.</summary>
    public static EcdsaSignature SignMessage(ReadOnlySpan<byte> message, ReadOnlySpan<byte> privateKey) =>
        Secp256k1.Sign(HashMessage(message), privateKey);

    public static EcdsaSignature SignMessage(string message, ReadOnlySpan<byte> privateKey) =>
        SignMessage(Encoding.UTF8.GetBytes(message), privateKey);

    public static EthereumAddress RecoverMessageSigner(ReadOnlySpan<byte> message, EcdsaSignature signature) =>
        RecoverAddress(HashMessage(message), signature);

    public static EthereumAddress RecoverMessageSigner(string message, EcdsaSignature signature) =>
        RecoverMessageSigner(Encoding.UTF8.GetBytes(message), signature);
}
