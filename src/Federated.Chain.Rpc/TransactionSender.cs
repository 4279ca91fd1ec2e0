using System.Numerics;
using Federated.Chain.Codecs;
using Federated.Chain.Signing;
using Federated.Chain.Transactions;

namespace Federated.Chain.Rpc;

public sealed record TransactionSenderOptions
{
    /// <summary>Blocks that must include or follow the transaction's block before it counts as done.</summary>
    public int Confirmations { get; init; } = 1;

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long to wait for the receipt and its confirmations.</summary>
    public TimeSpan ReceiptTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Head room added to eth_estimateGas, in percent.</summary>
    public int GasLimitMarginPercent { get; init; } = 20;

    /// <summary>Attach an EIP-2930 access list when eth_createAccessList shows it lowers the gas used
    /// (it does for payRound: every recipient's balance slot is then pre-warmed for 100 gas less).</summary>
    public bool UseAccessList { get; init; } = true;

    /// <summary>Throw <see cref="TransactionRevertedException"/> when the receipt has status 0.</summary>
    public bool ThrowOnRevert { get; init; } = true;
}

/// <summary>What to send; gas, fees and nonce are filled in by <see cref="TransactionSender"/> unless given.</summary>
public sealed record TransactionRequest
{
    /// <summary>Null creates a contract from <see cref="Data"/>.</summary>
    public EthereumAddress? To { get; init; }
    public byte[] Data { get; init; } = [];
    public BigInteger Value { get; init; }

    /// <summary>A fixed gas limit skips estimation, so a transaction that will revert is still mined.</summary>
    public ulong? GasLimit { get; init; }
}

/// <summary>Signs EIP-1559 transactions for one account with Federated.Chain, broadcasts them and waits
/// for their receipts. The node's chain id is checked against the one the sender was made for before
/// anything is signed; sends from one sender are serialized so nonces stay in order.</summary>
public sealed class TransactionSender
{
    private readonly byte[] _privateKey;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private bool _chainChecked;

    public TransactionSender(EthereumRpcClient client, ReadOnlySpan<byte> privateKey, BigInteger chainId, TransactionSenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (chainId.Sign <= 0)
            throw new ArgumentOutOfRangeException(nameof(chainId), chainId, "A chain id is a positive number.");
        Client = client;
        _privateKey = privateKey.ToArray();
        Address = EthSigner.AddressOf(_privateKey);
        ChainId = chainId;
        Options = options ?? new TransactionSenderOptions();
        if (Options.Confirmations < 1)
            throw new ArgumentOutOfRangeException(nameof(options), Options.Confirmations, "Confirmations must be at least 1.");
    }

    public EthereumRpcClient Client { get; }
    public EthereumAddress Address { get; }
    public BigInteger ChainId { get; }
    public TransactionSenderOptions Options { get; }

    /// <summary>Signs, broadcasts and waits for the receipt with the configured confirmations.</summary>
    public async Task<TransactionReceipt> SendAsync(TransactionRequest request, CancellationToken cancellationToken = default)
    {
        var signed = await SignAndBroadcastAsync(request, cancellationToken).ConfigureAwait(false);
        var receipt = await WaitForReceiptAsync(signed.Hash, cancellationToken).ConfigureAwait(false);
        if (!receipt.Succeeded && Options.ThrowOnRevert)
            throw new TransactionRevertedException(receipt, await ReplayRevertAsync(signed.Transaction, receipt, cancellationToken).ConfigureAwait(false));
        return receipt;
    }

    /// <summary>Fills in nonce, fees and gas, signs and broadcasts; returns without waiting for mining.</summary>
    public async Task<SignedTransaction<Eip1559Transaction>> SignAndBroadcastAsync(TransactionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await EnsureChainAsync(cancellationToken).ConfigureAwait(false);
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await PrepareAsync(request, cancellationToken).ConfigureAwait(false);
            var signed = transaction.Sign(_privateKey);
            await Client.SendRawTransactionAsync(signed.Raw, cancellationToken).ConfigureAwait(false);
            return signed;
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Signs a transaction (e.g. one from <see cref="PrepareAsync"/> with its nonce or fees changed) without sending it.</summary>
    public SignedTransaction<Eip1559Transaction> Sign(Eip1559Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.ChainId != ChainId)
            throw new ChainIdMismatchException(ChainId, transaction.ChainId,
                $"Refusing to sign: the sender for {Address} is configured for chain id {ChainId}, but the transaction is for chain id {transaction.ChainId}.");
        return transaction.Sign(_privateKey);
    }

    /// <summary>Builds the unsigned transaction: pending nonce, EIP-1559 fees, gas limit and (when it helps)
    /// an access list. Fails before signing if the account cannot pay for it.</summary>
    public async Task<Eip1559Transaction> PrepareAsync(TransactionRequest request, CancellationToken cancellationToken = default)
    {
        await EnsureChainAsync(cancellationToken).ConfigureAwait(false);
        var nonce = await Client.GetTransactionCountAsync(Address, BlockTag.Pending, cancellationToken).ConfigureAwait(false);
        var fees = await Client.EstimateFeesAsync(cancellationToken).ConfigureAwait(false);
        var call = new CallRequest { From = Address, To = request.To, Data = request.Data, Value = request.Value };
        IReadOnlyList<AccessListEntry> accessList = [];
        var gasLimit = request.GasLimit ?? WithMargin(await Client.EstimateGasAsync(call, cancellationToken).ConfigureAwait(false));
        // Checked before anything else is asked of the node: an empty account fails here, by name.
        var required = gasLimit * fees.MaxFeePerGas + request.Value;
        var balance = await Client.GetBalanceAsync(Address, BlockTag.Pending, cancellationToken).ConfigureAwait(false);
        if (balance < required)
            throw new InsufficientFundsException(Address, balance, required,
                $"Account {Address} holds {balance} wei but the transaction may cost up to {required} wei " +
                $"(gas limit {gasLimit} x max fee {fees.MaxFeePerGas} wei + value {request.Value} wei). Fund the account before sending.");
        if (request.GasLimit is null && Options.UseAccessList)
            (gasLimit, accessList) = await TryAccessListAsync(call, gasLimit, cancellationToken).ConfigureAwait(false);
        var transaction = new Eip1559Transaction
        {
            ChainId = ChainId,
            Nonce = nonce,
            MaxPriorityFeePerGas = fees.MaxPriorityFeePerGas,
            MaxFeePerGas = fees.MaxFeePerGas,
            GasLimit = gasLimit,
            To = request.To,
            Value = request.Value,
            Data = request.Data,
            AccessList = accessList,
        };
        return transaction;
    }

    /// <summary>Uses the access list eth_createAccessList proposes when the node estimates less gas with it.</summary>
    private async Task<(ulong GasLimit, IReadOnlyList<AccessListEntry> AccessList)> TryAccessListAsync(CallRequest call, ulong gasLimit, CancellationToken cancellationToken)
    {
        try
        {
            var proposed = await Client.CreateAccessListAsync(call, BlockTag.Latest, cancellationToken).ConfigureAwait(false);
            if (proposed.AccessList.Count == 0)
                return (gasLimit, []);
            var listed = WithMargin(await Client.EstimateGasAsync(call with { AccessList = proposed.AccessList }, cancellationToken).ConfigureAwait(false));
            return listed < gasLimit ? (listed, proposed.AccessList) : (gasLimit, []);
        }
        catch (RpcException e) when (e.Revert is null)
        {
            return (gasLimit, []); // a node without eth_createAccessList: send without a list
        }
    }

    private ulong WithMargin(ulong estimate) => estimate + estimate * (ulong)Options.GasLimitMarginPercent / 100;

    /// <summary>Polls until the transaction is mined and has the configured confirmations, re-reading the
    /// receipt each time so a reorg that moves or drops it is noticed.</summary>
    public async Task<TransactionReceipt> WaitForReceiptAsync(byte[] transactionHash, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.ReceiptTimeout);
        try
        {
            while (true)
            {
                var receipt = await Client.GetTransactionReceiptAsync(transactionHash, timeout.Token).ConfigureAwait(false);
                if (receipt is not null)
                {
                    var head = await Client.BlockNumberAsync(timeout.Token).ConfigureAwait(false);
                    if (head + 1 >= receipt.BlockNumber + (ulong)Options.Confirmations)
                        return receipt;
                }
                await Task.Delay(Options.PollInterval, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"Transaction {Hex.Encode(transactionHash)} was not mined with {Options.Confirmations} confirmation(s) within {Options.ReceiptTimeout.TotalSeconds:0.#} s.");
        }
    }

    private async Task EnsureChainAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _chainChecked))
            return;
        var nodeChainId = await Client.ChainIdAsync(cancellationToken).ConfigureAwait(false);
        if (nodeChainId != ChainId)
            throw new ChainIdMismatchException(ChainId, nodeChainId,
                $"Refusing to sign: the sender for {Address} is configured for chain id {ChainId}, but the node at {Client.Endpoint} reports chain id {nodeChainId}.");
        Volatile.Write(ref _chainChecked, true);
    }

    /// <summary>Re-runs a reverted transaction as eth_call on its block's parent state to learn why.</summary>
    private async Task<RevertReason?> ReplayRevertAsync(Eip1559Transaction transaction, TransactionReceipt receipt, CancellationToken cancellationToken)
    {
        var call = new CallRequest { From = Address, To = transaction.To, Data = transaction.Data, Value = transaction.Value, Gas = transaction.GasLimit };
        try
        {
            await Client.CallAsync(call, BlockTag.Number(receipt.BlockNumber - 1), cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (RpcException e) when (e.Revert is not null)
        {
            return e.Revert;
        }
        catch (RpcException)
        {
            return null;
        }
    }
}

public sealed class ChainIdMismatchException(BigInteger expected, BigInteger actual, string message) : InvalidOperationException(message)
{
    public BigInteger Expected { get; } = expected;
    public BigInteger Actual { get; } = actual;
}

public sealed class InsufficientFundsException(EthereumAddress account, BigInteger balance, BigInteger required, string message) : InvalidOperationException(message)
{
    public EthereumAddress Account { get; } = account;
    public BigInteger Balance { get; } = balance;
    public BigInteger Required { get; } = required;
}

/// <summary>The transaction was mined with status 0: it reverted and its fee was spent.</summary>
public sealed class TransactionRevertedException(TransactionReceipt receipt, RevertReason? revert) : Exception(
    $"Transaction {Hex.Encode(receipt.TransactionHash)} reverted in block {receipt.BlockNumber} (receipt status 0, gas used {receipt.GasUsed})" +
    (revert is null ? "; replaying it gave no revert reason." : $": {revert}."))
{
    public TransactionReceipt Receipt { get; } = receipt;
    public RevertReason? Revert { get; } = revert;
}
