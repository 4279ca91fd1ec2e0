using System.Numerics;

namespace Federated.Chain.Abi;

/// <summary>Bounds-checked access to ABI data. Positions are absolute offsets into the whole input,
/// so every error names the place it happened. A word budget stops inputs whose offsets point at
/// the same tail many times from inflating into far more values than the data holds.</summary>
internal ref struct AbiReader
{
    public const int WordSize = 32;
    private long _wordsLeft;

    public AbiReader(ReadOnlySpan<byte> data)
    {
        Data = data;
        _wordsLeft = 16L * (data.Length / WordSize) + 1024;
    }

    public ReadOnlySpan<byte> Data { get; }

    public ReadOnlySpan<byte> Word(int position, AbiType type)
    {
        if (position < 0 || position > Data.Length - WordSize)
            throw new AbiException(
                $"{type.CanonicalName} at offset {position} needs 32 bytes but the data is only {Data.Length} bytes long.");
        Spend(1, position);
        return Data.Slice(position, WordSize);
    }

    public BigInteger UnsignedWord(int position, AbiType type) =>
        new(Word(position, type), isUnsigned: true, isBigEndian: true);

    /// <summary>Reads a tail offset stored at <paramref name="position"/>, relative to <paramref name="frameStart"/>,
    /// and returns the absolute position it points to.</summary>
    public int Offset(int position, int frameStart, AbiType type)
    {
        var offset = UnsignedWord(position, type);
        if (offset > Data.Length - frameStart)
            throw new AbiException(
                $"Offset {offset} for {type.CanonicalName} (at offset {position}) points past the end of the data ({Data.Length} bytes).");
        var target = frameStart + (int)offset;
        if (target > Data.Length - WordSize)
            throw new AbiException(
                $"Offset {offset} for {type.CanonicalName} (at offset {position}) leaves no room for its length word in {Data.Length} bytes.");
        return target;
    }

    /// <summary>Reads a length word and checks that <paramref name="bytesPerUnit"/> bytes per unit fit in what follows it.</summary>
    public int Length(int position, int bytesPerUnit, AbiType type)
    {
        var length = UnsignedWord(position, type);
        var available = Data.Length - position - WordSize;
        if (length * bytesPerUnit > available)
            throw new AbiException(
                $"{type.CanonicalName} at offset {position} declares length {length}, needing {length * bytesPerUnit} bytes, but only {available} remain.");
        return (int)length;
    }

    /// <summary>Reads a run of bytes padded with zeros to a whole number of words.</summary>
    public ReadOnlySpan<byte> PaddedBytes(int position, int length, AbiType type)
    {
        var padded = Words(length) * WordSize;
        if (position < 0 || padded > Data.Length - position)
            throw new AbiException($"{type.CanonicalName} at offset {position} needs {padded} bytes but the data ends first.");
        Spend(padded / WordSize, position);
        if (Data.Slice(position + length, padded - length).ContainsAnyExcept((byte)0))
            throw new AbiException($"{type.CanonicalName} at offset {position} has non-zero padding after its {length} bytes.");
        return Data.Slice(position, length);
    }

    public void CheckRoom(int position, long size, AbiType type)
    {
        if (position < 0 || size > Data.Length - position)
            throw new AbiException(
                $"{type.CanonicalName} at offset {position} needs {size} bytes but only {Math.Max(0, Data.Length - position)} remain.");
    }

    public static int Words(int byteLength) => (byteLength + WordSize - 1) / WordSize;

    private void Spend(long words, int position)
    {
        _wordsLeft -= words;
        if (_wordsLeft < 0)
            throw new AbiException(
                $"Decoding at offset {position} reads far more words than the data holds (offsets point at the same data repeatedly).");
    }
}
