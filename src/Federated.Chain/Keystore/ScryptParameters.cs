using System.Numerics;

namespace Federated.Chain.Keystore;

/// <summary>scrypt's cost parameters as a keystore states them, with the bounds a reader enforces before deriving
/// anything: a hostile file must not make us allocate gigabytes or spin for hours.</summary>
public sealed record ScryptParameters(int N, int R, int P)
{
    /// <summary>geth's "standard" parameters: 256 MiB and about a second.</summary>
    public static ScryptParameters Standard { get; } = new(1 << 18, 8, 1);

    /// <summary>geth's "light" parameters: 4 MiB; for tests and throwaway keys.</summary>
    public static ScryptParameters Light { get; } = new(1 << 12, 8, 6);

    /// <summary>Largest table allowed, 128 * r * n bytes: 256 MiB, enough for geth's standard keystores.</summary>
    public const long MaxMemoryBytes = 256L << 20;

    /// <summary>Largest total work allowed, n * r * p block operations (geth standard is 2^21).</summary>
    public const long MaxWork = 1L << 24;

    public long MemoryBytes => 128L * R * N;

    /// <summary>Throws <see cref="KeystoreException"/> naming the parameter that is out of bounds.</summary>
    public ScryptParameters Check()
    {
        if (N < 2 || !BitOperations.IsPow2(N))
            throw new KeystoreException(KeystoreError.ParametersOutOfRange, $"kdfparams.n must be a power of 2 greater than 1, got {N}");
        if (R < 1 || R > 1024) throw new KeystoreException(KeystoreError.ParametersOutOfRange, $"kdfparams.r must be between 1 and 1024, got {R}");
        if (P < 1 || P > 1024) throw new KeystoreException(KeystoreError.ParametersOutOfRange, $"kdfparams.p must be between 1 and 1024, got {P}");
        if (MemoryBytes > MaxMemoryBytes)
            throw new KeystoreException(KeystoreError.ParametersOutOfRange,
                $"kdfparams n = {N}, r = {R} need {MemoryBytes >> 20} MiB, more than the {MaxMemoryBytes >> 20} MiB this reader allows");
        if ((long)N * R * P > MaxWork)
            throw new KeystoreException(KeystoreError.ParametersOutOfRange,
                $"kdfparams n * r * p = {(long)N * R * P} exceeds the {MaxWork} this reader allows");
        return this;
    }
}
