using System.Text;
using Federated.Coordinator.Runs;
using Federated.Domain.Runs;

namespace Federated.Coordinator.Tests;

public class RunEventCodecTests
{
    /// <summary>Stored run events keep their bytes and ids: the id below was computed outside .NET (Python's uuid5 over
    /// the run namespace and "stream/version/type/sha256-of-json"), so a change to the codec cannot pass unnoticed.</summary>
    [Fact]
    public void A_run_event_encodes_to_the_json_and_id_already_stored_in_existing_logs()
    {
        var e = RunEventCodec.Encode(new RunEvents.V1.RunFailed("r1", "stopped", new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero)), "run-r1", 3);

        Assert.Equal(("""{"runId":"r1","reason":"stopped","failedAt":"2025-01-02T03:04:05+00:00"}""", new Guid("fe0918c3-93ea-5183-a47f-0e7981b23262")),
            (Encoding.UTF8.GetString(e.Data.Span), e.EventId));
    }
}
