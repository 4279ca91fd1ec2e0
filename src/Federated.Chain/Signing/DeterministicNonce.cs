using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Federated.Chain.Signing;

/// <summary>RFC 6979 nonces (HMAC-SHA256) exactly as libsecp256k1 and Rust's k256 derive them for Ethereum:
/// the 32-byte hash enters the HMAC as is. RFC 6979's bits2octets would first reduce a hash that is
/// n or larger (BouncyCastle's HMacDsaKCalculator does), which gives a different, equally valid signature
/// for those rare hashes; feeding it unreduced keeps our signatures byte-identical to geth's and cast's.</summary>
internal sealed class DeterministicNonce : IDsaKCalculator
{
    private const int Size = 32;
    private readonly HMac _hmac = new(new Sha256Digest());
    private readonly byte[] _k = new byte[Size];
    private readonly byte[] _v = new byte[Size];
    private BcBigInteger _n = BcBigInteger.Zero;
    private bool _drawn;

    public bool IsDeterministic => true;

    public void Init(BcBigInteger n, SecureRandom random) =>
        throw new NotSupportedException("Deterministic nonces are derived from the key and the hash, not from randomness.");

    public void Init(BcBigInteger n, BcBigInteger d, byte[] message)
    {
        if (message.Length != Size)
            throw new ArgumentException($"Expected a {Size}-byte hash.", nameof(message));
        _n = n;
        _drawn = false;
        Array.Fill(_v, (byte)0x01);
        Array.Fill(_k, (byte)0x00);
        var key = d.ToByteArrayUnsigned();
        var x = new byte[Size];
        key.CopyTo(x, Size - key.Length);
        Reseed(0x00, x, message);
        Reseed(0x01, x, message);
    }

    public BcBigInteger NextK()
    {
        while (true)
        {
            // A candidate the signer rejected (r or s of zero) is followed by K = HMAC(V || 0x00), as the RFC says.
            if (_drawn)
                Reseed(0x00);
            _drawn = true;
            Mac(_v, _v);
            var k = new BcBigInteger(1, _v);
            if (k.SignValue > 0 && k.CompareTo(_n) < 0)
                return k;
        }
    }

    // K = HMAC_K(V || marker || extra...); V = HMAC_K(V)
    private void Reseed(byte marker, params byte[][] extra)
    {
        _hmac.Init(new KeyParameter(_k));
        _hmac.BlockUpdate(_v, 0, Size);
        _hmac.Update(marker);
        foreach (var part in extra)
            _hmac.BlockUpdate(part, 0, part.Length);
        _hmac.DoFinal(_k, 0);
        Mac(_v, _v);
    }

    private void Mac(byte[] input, byte[] output)
    {
        _hmac.Init(new KeyParameter(_k));
        _hmac.BlockUpdate(input, 0, input.Length);
        _hmac.DoFinal(output, 0);
    }
}
