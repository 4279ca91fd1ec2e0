using Federated.Chain;
using Federated.Chain.Rpc;

namespace Federated.Rewards;

/// <summary>Hands out one signing key's nonces in order. Each nonce is the larger of the node's pending count and the
/// next one this lane gave out (a signed transaction may not be in the node's pool yet). After an error the lane is
/// resynchronised: it forgets its own count and starts again from the node's pending nonce.</summary>
public sealed class NonceLane(EthereumRpcClient client, EthereumAddress account)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ulong? _next;

    public EthereumAddress Account { get; } = account;

    public async Task<ulong> TakeAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pending = await client.GetTransactionCountAsync(Account, BlockTag.Pending, cancellationToken).ConfigureAwait(false);
            var nonce = Math.Max(pending, _next ?? 0);
            _next = nonce + 1;
            return nonce;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Resynchronise()
    {
        _gate.Wait();
        try { _next = null; }
        finally { _gate.Release(); }
    }
}
