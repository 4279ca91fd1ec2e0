using Federated.Chain.Codecs;

namespace Federated.Chain.Rpc;

public sealed record DeployedContract(EthereumAddress Address, TransactionReceipt Receipt);

/// <summary>Deploys contract artifacts from one account and checks that code landed at the new address.</summary>
public sealed class ContractDeployer(TransactionSender sender)
{
    public TransactionSender Sender { get; } = sender;

    /// <param name="constructorArguments">ABI-encoded constructor arguments (AbiCodec.Encode), appended to the bytecode.</param>
    public async Task<DeployedContract> DeployAsync(ContractArtifact artifact, byte[] constructorArguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        if (artifact.Bytecode.Length == 0)
            throw new ArgumentException($"{artifact.ContractName} has no bytecode (an abstract contract or interface cannot be deployed).", nameof(artifact));
        Sender.Client.Errors.AddRange(artifact.ErrorSignatures());
        var receipt = await Sender.SendAsync(new TransactionRequest { Data = [.. artifact.Bytecode, .. constructorArguments] }, cancellationToken).ConfigureAwait(false);
        var address = receipt.ContractAddress
            ?? throw new InvalidOperationException($"Deploying {artifact.ContractName} (transaction {Hex.Encode(receipt.TransactionHash)}) gave a receipt without a contract address.");
        var code = await Sender.Client.GetCodeAsync(address, BlockTag.Latest, cancellationToken).ConfigureAwait(false);
        if (code.Length == 0)
            throw new InvalidOperationException($"Deployed {artifact.ContractName} at {address}, but no code is there.");
        return new DeployedContract(address, receipt);
    }
}
