namespace Federated.Chain.Transactions;

/// <summary>A transaction that is malformed, or valid but not acceptable here (e.g. the wrong chain).</summary>
public sealed class TransactionException(string message) : FormatException(message);
