using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Federated.Chain;
using Federated.Chain.Rpc;
using Federated.Chain.Signing;
using Federated.Cli.Distributed;
using Federated.Cli.Embedded;

namespace Federated.Cli.Commands;

/// <summary>
/// `fed chain deploy`: deploys the RewardDistributor (which is also the reward token) to a chain an operator runs, so
/// that `fed coordinator --chain-rpc ... --distributor ...` can pay rounds there. The deploying key becomes the admin;
/// the coordinator account (default: the same) is the only one allowed to pay rounds. Prints the distributor address.
/// </summary>
internal static class ChainCommand
{
    public static Command Create()
    {
        var rpc = new Option<string?>("--chain-rpc") { Description = $"JSON-RPC endpoint, e.g. http://127.0.0.1:8545; default ${CoordinatorChainOptions.RpcVariable}" };
        var key = new Identity.KeyOptions("deploying (admin) account's", "--key-file", CoordinatorChainOptions.KeyVariable);
        var coordinator = new Option<string?>("--coordinator") { Description = "Address allowed to pay rounds (the coordinator's key); default the deploying account" };
        var budget = new Option<decimal>("--budget") { Description = "Tokens minted to the distributor for rewards (18 decimals)", DefaultValueFactory = _ => 1_000_000_000m };
        var json = CommonOptions.Json("the deployment");
        var deploy = new Command("deploy", "Deploy the RewardDistributor to a chain and print its address") { rpc, coordinator, budget, json };
        key.AddTo(deploy);
        deploy.SetAction((parse, ct) =>
        {
            byte[] deployingKey;
            try { deployingKey = CoordinatorChainOptions.RequiredKey(key, parse, "deploying"); }
            catch (CoordinatorChainException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return Task.FromResult(ExitCodes.BadInput);
            }
            return DeployAsync(parse.GetValue(rpc), deployingKey, parse.GetValue(coordinator), parse.GetValue(budget), parse.GetValue(json), ct);
        });
        return new Command("chain", "Set up the chain a distributed coordinator pays rounds on") { deploy };
    }

    private static async Task<int> DeployAsync(string? rpcOption, byte[] key, string? coordinatorOption, decimal budget, bool asJson, CancellationToken cancellationToken)
    {
        var rpcText = OptionValues.ValueOrVariable(rpcOption, CoordinatorChainOptions.RpcVariable);
        if (rpcText is null || !Uri.TryCreate(rpcText, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            Console.Error.WriteLine(rpcText is null ? $"error: no chain given: pass --chain-rpc or set {CoordinatorChainOptions.RpcVariable}" : $"error: bad chain RPC '{rpcText}': expected http://host:port");
            return ExitCodes.BadInput;
        }
        if (budget <= 0 || budget > 1_000_000_000_000m)
        {
            Console.Error.WriteLine("error: --budget must be positive and at most 10^12 tokens");
            return ExitCodes.BadInput;
        }
        var admin = EthSigner.AddressOf(key);
        EthereumAddress? coordinator = admin;
        if (coordinatorOption is not null && (!EthereumAddress.TryParse(coordinatorOption, out coordinator) || coordinator is null))
        {
            Console.Error.WriteLine($"error: bad --coordinator address '{coordinatorOption}': expected 0x and 40 hex digits");
            return ExitCodes.BadInput;
        }
        var artifact = AnvilNode.FindInCheckout("contracts/build/RewardDistributor.json");
        if (artifact is null)
        {
            Console.Error.WriteLine("error: contracts/build/RewardDistributor.json not found above the program or the working directory (run scripts/provision/chain.sh)");
            return ExitCodes.BadInput;
        }

        using var client = new EthereumRpcClient(endpoint, options: new EthereumRpcClientOptions { RequestTimeout = TimeSpan.FromSeconds(30) });
        try
        {
            var chainId = await client.ChainIdAsync(cancellationToken);
            var tokens = new BigInteger(budget * 1_000_000m) * BigInteger.Pow(10, 12);
            var deployer = new ContractDeployer(new TransactionSender(client, key, chainId));
            var distributor = await RewardDistributorContract.DeployAsync(deployer, ContractArtifact.Load(artifact),
                new RewardDistributorSettings("Federated Reward", EmbeddedChain.TokenSymbol, tokens, admin, coordinator), cancellationToken);
            var address = distributor.Address.ToChecksumString();
            if (asJson)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    chainId = (long)chainId, distributor = address, token = EmbeddedChain.TokenSymbol,
                    budget = tokens.ToString(CultureInfo.InvariantCulture), admin = admin.ToChecksumString(), coordinator = coordinator.ToChecksumString(),
                }));
            }
            else
            {
                Console.Error.WriteLine($"deployed RewardDistributor ({EmbeddedChain.TokenSymbol}, budget {budget} tokens) on chain {chainId}: admin {admin.ToChecksumString()}, coordinator {coordinator.ToChecksumString()}");
                Console.Out.WriteLine(address);
            }
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is RpcException or RpcTransportException or HttpRequestException or InvalidOperationException)
        {
            Console.Error.WriteLine($"error: deploying to {endpoint} failed: {e.Message}");
            return ExitCodes.Failed;
        }
    }
}
