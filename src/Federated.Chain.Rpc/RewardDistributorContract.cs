using System.Numerics;
using Federated.Chain.Abi;

namespace Federated.Chain.Rpc;

/// <summary>One contributor's payment in a round, in the token's smallest unit.</summary>
public sealed record Payout(EthereumAddress Recipient, BigInteger Amount);

/// <summary>Constructor arguments of RewardDistributor: the token's name and symbol, the fixed reward
/// budget minted to the distributor itself, the admin (owner) and the coordinator.</summary>
public sealed record RewardDistributorSettings(string Name, string Symbol, BigInteger Budget, EthereumAddress Admin, EthereumAddress Coordinator);

/// <summary>Typed calls to a deployed RewardDistributor (which is also the reward ERC-20 token).</summary>
public sealed class RewardDistributorContract
{
    /// <summary>Largest amount one payout word can carry: payRound packs amount and recipient in 256 bits.</summary>
    public static readonly BigInteger MaxPayoutAmount = (BigInteger.One << 96) - 1;

    public static readonly AbiFunction PayRound = AbiFunction.Parse("payRound(uint256,bytes32,uint256[])");
    public static readonly AbiFunction IsPaid = AbiFunction.Parse("isPaid(uint256)");
    public static readonly AbiFunction CommitmentOf = AbiFunction.Parse("commitmentOf(uint256)");
    public static readonly AbiFunction Coordinator = AbiFunction.Parse("coordinator()");
    public static readonly AbiFunction SetCoordinator = AbiFunction.Parse("setCoordinator(address)");
    public static readonly AbiFunction Pause = AbiFunction.Parse("pause()");
    public static readonly AbiFunction Unpause = AbiFunction.Parse("unpause()");
    public static readonly AbiFunction Paused = AbiFunction.Parse("paused()");
    public static readonly AbiFunction BalanceOf = AbiFunction.Parse("balanceOf(address)");
    public static readonly AbiFunction TotalSupply = AbiFunction.Parse("totalSupply()");
    public static readonly AbiFunction Transfer = AbiFunction.Parse("transfer(address,uint256)");
    public static readonly AbiFunction TransferEvent = AbiFunction.Parse("Transfer(address,address,uint256)");
    public static readonly AbiFunction RoundPaidEvent = AbiFunction.Parse("RoundPaid(uint256,bytes32,uint256)");

    /// <summary>The contract's custom errors plus those it inherits from OpenZeppelin, for readable reverts.</summary>
    public static readonly IReadOnlyList<string> ErrorSignatures =
    [
        "RoundAlreadyPaid(uint256,bytes32)", "NotCoordinator(address)", "ZeroCommitment(uint256)", "ZeroCoordinator()",
        "EnforcedPause()", "ExpectedPause()", "OwnableUnauthorizedAccount(address)", "OwnableInvalidOwner(address)",
        "ERC20InsufficientBalance(address,uint256,uint256)", "ERC20InvalidReceiver(address)", "ERC20InvalidSender(address)",
        "ERC20InsufficientAllowance(address,uint256,uint256)", "ERC20InvalidApprover(address)", "ERC20InvalidSpender(address)",
    ];

    private readonly EthereumRpcClient _client;

    public RewardDistributorContract(EthereumRpcClient client, EthereumAddress address)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        Address = address ?? throw new ArgumentNullException(nameof(address));
        client.Errors.AddRange(ErrorSignatures);
    }

    public EthereumAddress Address { get; }

    public static byte[] EncodeConstructor(RewardDistributorSettings settings) =>
        AbiCodec.Encode("string,string,uint256,address,address", settings.Name, settings.Symbol, settings.Budget, settings.Admin, settings.Coordinator);

    public static async Task<RewardDistributorContract> DeployAsync(
        ContractDeployer deployer, ContractArtifact artifact, RewardDistributorSettings settings, CancellationToken cancellationToken = default)
    {
        var deployed = await deployer.DeployAsync(artifact, EncodeConstructor(settings), cancellationToken).ConfigureAwait(false);
        return new RewardDistributorContract(deployer.Sender.Client, deployed.Address);
    }

    /// <summary>One payout word: amount in the high 96 bits, recipient in the low 160.</summary>
    public static BigInteger PackPayout(Payout payout)
    {
        ArgumentNullException.ThrowIfNull(payout);
        if (payout.Recipient == EthereumAddress.Zero)
            throw new ArgumentException("A payout to the zero address would burn the tokens; the contract refuses it.", nameof(payout));
        if (payout.Amount.Sign <= 0 || payout.Amount > MaxPayoutAmount)
            throw new ArgumentOutOfRangeException(nameof(payout), payout.Amount, $"A payout amount must be between 1 and 2^96-1 ({MaxPayoutAmount}) base units.");
        return payout.Amount << 160 | new BigInteger(payout.Recipient.Bytes, isUnsigned: true, isBigEndian: true);
    }

    public static byte[] EncodePayRound(BigInteger roundId, byte[] commitment, IReadOnlyList<Payout> payouts)
    {
        if (commitment is not { Length: 32 } || commitment.All(b => b == 0))
            throw new ArgumentException("A round commitment is 32 bytes and not all zero (zero means \"not paid\" on chain).", nameof(commitment));
        return PayRound.EncodeCall(roundId, commitment, payouts.Select(PackPayout).ToArray());
    }

    /// <summary>Pays a round from the distributor's budget and anchors its commitment. Sent by the coordinator.</summary>
    public Task<TransactionReceipt> PayRoundAsync(TransactionSender coordinator, BigInteger roundId, byte[] commitment, IReadOnlyList<Payout> payouts, CancellationToken cancellationToken = default) =>
        SendAsync(coordinator, EncodePayRound(roundId, commitment, payouts), cancellationToken);

    public Task<TransactionReceipt> PauseAsync(TransactionSender admin, CancellationToken cancellationToken = default) =>
        SendAsync(admin, Pause.EncodeCall(), cancellationToken);

    public Task<TransactionReceipt> UnpauseAsync(TransactionSender admin, CancellationToken cancellationToken = default) =>
        SendAsync(admin, Unpause.EncodeCall(), cancellationToken);

    public Task<TransactionReceipt> SetCoordinatorAsync(TransactionSender admin, EthereumAddress coordinator, CancellationToken cancellationToken = default) =>
        SendAsync(admin, SetCoordinator.EncodeCall(coordinator), cancellationToken);

    public Task<TransactionReceipt> TransferAsync(TransactionSender holder, EthereumAddress to, BigInteger amount, CancellationToken cancellationToken = default) =>
        SendAsync(holder, Transfer.EncodeCall(to, amount), cancellationToken);

    public async Task<bool> IsPaidAsync(BigInteger roundId, CancellationToken cancellationToken = default) =>
        (bool)(await ViewAsync(IsPaid, "bool", cancellationToken, roundId).ConfigureAwait(false))!;

    /// <summary>The stored commitment; 32 zero bytes when the round was not paid.</summary>
    public async Task<byte[]> CommitmentOfAsync(BigInteger roundId, CancellationToken cancellationToken = default) =>
        (byte[])(await ViewAsync(CommitmentOf, "bytes32", cancellationToken, roundId).ConfigureAwait(false))!;

    public async Task<EthereumAddress> CoordinatorAsync(CancellationToken cancellationToken = default) =>
        (EthereumAddress)(await ViewAsync(Coordinator, "address", cancellationToken).ConfigureAwait(false))!;

    public async Task<bool> PausedAsync(CancellationToken cancellationToken = default) =>
        (bool)(await ViewAsync(Paused, "bool", cancellationToken).ConfigureAwait(false))!;

    public async Task<BigInteger> BalanceOfAsync(EthereumAddress account, CancellationToken cancellationToken = default) =>
        (BigInteger)(await ViewAsync(BalanceOf, "uint256", cancellationToken, account).ConfigureAwait(false))!;

    public async Task<BigInteger> TotalSupplyAsync(CancellationToken cancellationToken = default) =>
        (BigInteger)(await ViewAsync(TotalSupply, "uint256", cancellationToken).ConfigureAwait(false))!;

    private Task<TransactionReceipt> SendAsync(TransactionSender sender, byte[] data, CancellationToken cancellationToken) =>
        sender.SendAsync(new TransactionRequest { To = Address, Data = data }, cancellationToken);

    private async Task<object?> ViewAsync(AbiFunction function, string returns, CancellationToken cancellationToken, params object?[] arguments)
    {
        var result = await _client.CallAsync(new CallRequest { To = Address, Data = function.EncodeCall(arguments) }, BlockTag.Latest, cancellationToken).ConfigureAwait(false);
        if (result.Length == 0)
            throw new InvalidOperationException($"{function.Signature} on {Address} returned nothing: is a RewardDistributor deployed there?");
        return AbiCodec.Decode(returns, result)[0];
    }
}
