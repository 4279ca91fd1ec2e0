using Federated.Chain.Signing;

namespace Federated.Chain.Transactions;

/// <summary>A signed transaction: the raw bytes to broadcast, their hash (the transaction id) and the sender.</summary>
public sealed record SignedTransaction<TTransaction>(
    TTransaction Transaction,
    EcdsaSignature Signature,
    byte[] Raw,
    byte[] Hash,
    EthereumAddress Sender);
