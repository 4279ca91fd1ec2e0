using System.Numerics;
using Federated.Domain.Payouts;
using static Federated.Domain.Payouts.PayoutEvents.V1;

namespace Federated.Domain.Tests.Payouts;

/// <summary>A payout's history built by deciding commands in order, as the application does.</summary>
internal sealed class PayoutFixture
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public const string Commitment = "0x" + "ab00000000000000000000000000000000000000000000000000000000000001";

    public PayoutState State { get; private set; } = PayoutState.Initial;
    public List<object> Events { get; } = [];

    public static AllocatePayout Allocation(string commitment = Commitment) => new(
        "run1", 2, "0x01", 31337, "0x" + new string('d', 40), 100, "tokens",
        [new PayoutLine("worker-1", "0x" + new string('1', 40), 3, "75"), new PayoutLine("worker-2", "0x" + new string('2', 40), 1, "25")],
        "0x" + new string('5', 64), "0x" + new string('6', 64), commitment);

    public static RecordSignedTransaction Signed(string hash, ulong nonce, BigInteger maxFee, BigInteger tip) =>
        new("0x" + new string('c', 40), nonce, maxFee, tip, 100_000, hash, "0x02ff");

    public IReadOnlyList<object> Do(PayoutCommand command, DateTimeOffset? at = null)
    {
        var events = Payout.Decide(command, State, at ?? T0);
        foreach (var e in events) State = PayoutState.Evolve(State, e);
        Events.AddRange(events);
        return events;
    }

    public static ChainView Chain(ulong head = 10, ulong minedNonce = 0, string? commitment = null, IEnumerable<string>? pending = null,
        params (string Hash, ReceiptView Receipt)[] receipts) =>
        new(head, receipts.ToDictionary(r => r.Hash, r => r.Receipt, StringComparer.OrdinalIgnoreCase),
            (pending ?? []).ToHashSet(StringComparer.OrdinalIgnoreCase), commitment ?? "0x" + new string('0', 64), minedNonce);
}
