namespace Federated.Chain.Abi;

/// <summary>One Solidity ABI type and its coder. Values are CLR objects: BigInteger for integers,
/// <see cref="EthereumAddress"/>, bool, byte[] for bytesN and bytes, string, and object?[] for arrays
/// and tuples.</summary>
public abstract class AbiType
{
    protected const int WordSize = AbiReader.WordSize;

    /// <summary>Largest head a static type may take (16 MiB), far beyond any calldata a block can carry;
    /// it keeps sizes of types like uint256[100000000][100] from overflowing.</summary>
    protected const long MaxStaticSize = 1 << 24;

    /// <summary>The name used in signatures, e.g. "uint256", "(address,uint256)[]".</summary>
    public abstract string CanonicalName { get; }

    /// <summary>Dynamic types live in the tail and are referenced by an offset in the head.</summary>
    public abstract bool IsDynamic { get; }

    /// <summary>Bytes this type takes in the head of an enclosing tuple.</summary>
    public virtual int HeadSize => WordSize;

    /// <summary>Encodes one value: the head bytes of a static type, or the tail bytes of a dynamic one.</summary>
    public abstract byte[] Encode(object? value);

    /// <summary>Decodes the value whose encoding starts at the absolute <paramref name="position"/>.</summary>
    internal abstract object Decode(ref AbiReader reader, int position);

    public static AbiType Parse(string type) => AbiTypeParser.Parse(type);

    public override string ToString() => CanonicalName;

    protected AbiException WrongValue(object? value, string expected) =>
        new($"{CanonicalName} expects {expected}, got {(value is null ? "null" : value.GetType().Name)}.");
}
