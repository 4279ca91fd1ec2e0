using Nethereum.Model;

namespace Federated.Chain.Transactions;

/// <summary>EIP-2930 access list entry: an address and the 32-byte storage keys it pre-warms.</summary>
public sealed record AccessListEntry(EthereumAddress Address, IReadOnlyList<byte[]> StorageKeys)
{
    internal AccessListItem ToLibrary()
    {
        foreach (var key in StorageKeys)
            if (key.Length != 32) throw new TransactionException($"A storage key is 32 bytes, got {key.Length}.");
        return new AccessListItem(Codecs.Hex.Encode(Address.Bytes), [.. StorageKeys]);
    }

    internal static AccessListEntry FromLibrary(AccessListItem item)
    {
        var text = item.Address is { } a && !Codecs.Hex.HasPrefix(a) ? "0x" + a : item.Address;
        if (!EthereumAddress.TryParse(text, out var address))
            throw new TransactionException($"Field accessList address: \"{item.Address}\" is not a 20-byte address.");
        foreach (var key in item.StorageKeys ?? [])
            if (key.Length != 32) throw new TransactionException($"Field accessList storage key: expected 32 bytes, got {key.Length}.");
        return new AccessListEntry(address!, item.StorageKeys?.ToArray() ?? []);
    }
}
