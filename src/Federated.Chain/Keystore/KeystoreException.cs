namespace Federated.Chain.Keystore;

/// <summary>What is wrong with a keystore: the file itself, its parameters, or the password.</summary>
public enum KeystoreError
{
    /// <summary>Not JSON, a field missing, or a field of the wrong kind or length.</summary>
    Malformed,
    /// <summary>A version, KDF, cipher or PRF this codec does not read.</summary>
    Unsupported,
    /// <summary>KDF parameters outside the bounds this codec accepts (they would cost too much memory or time).</summary>
    ParametersOutOfRange,
    /// <summary>The MAC does not match: the password is wrong, or the ciphertext was altered.</summary>
    WrongPassword,
    /// <summary>The key decrypted but is not a valid secp256k1 key, or does not belong to the stated address.</summary>
    InvalidKey,
}

/// <summary>A keystore that cannot be read or written; the message names the field or the cause.</summary>
public sealed class KeystoreException(KeystoreError error, string message) : Exception(message)
{
    public KeystoreError Error { get; } = error;
}
