using System.Text.Json;
using Federated.Chain.Codecs;
using Federated.Chain.Hashing;

namespace Federated.Cli.Embedded;

/// <summary>
/// The embedded chain of a data directory, in chain/chain.json: the distributor deployed on the private anvil whose
/// state is kept in chain/anvil-state.json, and the dev keys that deployed it (admin) and pay rounds (coordinator).
/// Dev keys are derived from the seed of the run that first deployed, and funded on the private chain only: anyone who
/// reads this file or knows that seed holds them. Never point them at a real chain.
/// </summary>
internal sealed record EmbeddedChainConfig(long ChainId, string Distributor, string AdminKey, string CoordinatorKey, ulong Seed)
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    public static string Folder(DataDirectory data) => Path.Combine(data.Root, "chain");
    public static string ConfigFile(DataDirectory data) => Path.Combine(Folder(data), "chain.json");
    public static string StateFile(DataDirectory data) => Path.Combine(Folder(data), "anvil-state.json");

    public static byte[] DevKey(ulong seed, string role) => Keccak256.HashUtf8($"federated-demo-{role}/{seed}");

    public static EmbeddedChainConfig? Load(DataDirectory data)
    {
        var file = ConfigFile(data);
        if (!File.Exists(file)) return null;
        try
        {
            return JsonSerializer.Deserialize<EmbeddedChainConfig>(File.ReadAllText(file), Options)
                ?? throw new InvalidOperationException($"{file} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{file} is not a valid chain configuration: {e.Message}", e);
        }
    }

    public void Save(DataDirectory data)
    {
        // The file holds the dev keys: 0600 from its creation (Identity.SecretFile), in a folder only the owner enters.
        Identity.SecretFile.CreateDirectory(Folder(data));
        Identity.SecretFile.WriteAllText(ConfigFile(data), JsonSerializer.Serialize(this, Options));
    }

    public byte[] CoordinatorPrivateKey => Hex.Decode(CoordinatorKey);
    public byte[] AdminPrivateKey => Hex.Decode(AdminKey);
}
