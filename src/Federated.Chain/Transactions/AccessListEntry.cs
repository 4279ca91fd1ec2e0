using Federated.Chain.Codecs;

namespace Federated.Chain.Transactions;

/// <summary>EIP-2930 access list entry: an address and the 32-byte storage keys it pre-warms.</summary>
public sealed record AccessListEntry(EthereumAddress Address, IReadOnlyList<byte[]> StorageKeys)
{
    internal RlpItem ToRlp() =>
        RlpItem.List(RlpItem.String(Address.Bytes), RlpItem.List(StorageKeys.Select(CheckedKey)));

    internal static IReadOnlyList<AccessListEntry> FromRlp(RlpItem list)
    {
        var entries = new List<AccessListEntry>();
        foreach (var entry in TransactionFields.List(list, "accessList"))
        {
            var parts = TransactionFields.List(entry, "accessList entry");
            if (parts.Count != 2)
                throw new TransactionException($"An access list entry has 2 fields (address, storageKeys), got {parts.Count}.");
            var address = TransactionFields.Address(parts[0], "accessList address")
                          ?? throw new TransactionException("An access list entry needs an address, got an empty string.");
            var keys = TransactionFields.List(parts[1], "accessList storageKeys")
                .Select(key => TransactionFields.FixedBytes(key, 32, "accessList storage key"))
                .ToArray();
            entries.Add(new AccessListEntry(address, keys));
        }
        return entries;
    }

    private static RlpItem CheckedKey(byte[] key) =>
        key.Length == 32 ? RlpItem.String(key) : throw new TransactionException($"A storage key is 32 bytes, got {key.Length}.");
}
