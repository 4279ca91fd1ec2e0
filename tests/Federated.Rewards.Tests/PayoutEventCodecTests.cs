using System.Text;
using Federated.Domain.Payouts;
using Federated.Rewards;

namespace Federated.Rewards.Tests;

public class PayoutEventCodecTests
{
    /// <summary>Stored payout events keep their bytes and ids: the id below was computed outside .NET (Python's uuid5 over
    /// the payout namespace and "stream/version/type/sha256-of-json").</summary>
    [Fact]
    public void A_payout_event_encodes_to_the_json_and_id_already_stored_in_existing_logs()
    {
        var e = PayoutEventCodec.Encode(new PayoutEvents.V1.PayoutSubmitted("r1", 2, "0xab", new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero)), "payout-r1-2", 1);

        Assert.Equal(("""{"runId":"r1","round":2,"transactionHash":"0xab","submittedAt":"2025-01-02T03:04:05+00:00"}""", new Guid("4b2a6ca0-cabd-5d1d-be72-dfb3e0cf6822")),
            (Encoding.UTF8.GetString(e.Data.Span), e.EventId));
    }

    [Fact]
    public void The_payout_codec_reads_run_events_too()
    {
        var json = """{"runId":"r1","reason":"x","failedAt":"2025-01-02T03:04:05+00:00"}"""u8.ToArray();
        var recorded = new EventStore.RecordedEvent("run-r1", 0, 1, Guid.NewGuid(), "RunFailed.V1", json, [], DateTimeOffset.UnixEpoch, [], []);

        Assert.IsType<Domain.Runs.RunEvents.V1.RunFailed>(PayoutEventCodec.Decode(recorded));
    }
}
