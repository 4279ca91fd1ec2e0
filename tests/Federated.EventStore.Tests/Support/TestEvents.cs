using System.Text;

namespace Federated.EventStore.Tests.Support;

internal static class TestEvents
{
    public static EventData New(string type = "Something.V1", string json = "{}", string? metadataJson = null) =>
        new(Guid.NewGuid(), type, Encoding.UTF8.GetBytes(json), metadataJson is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(metadataJson));

    /// <summary>Events whose data says which one they are: {"n":0}, {"n":1}, ...</summary>
    public static EventData[] Numbered(int count, int first = 0) =>
        Enumerable.Range(first, count).Select(n => New(json: $"{{\"n\":{n}}}")).ToArray();

    public static async Task<List<RecordedEvent>> ToListAsync(this IAsyncEnumerable<RecordedEvent> events)
    {
        var list = new List<RecordedEvent>();
        await foreach (var e in events)
        {
            list.Add(e);
        }

        return list;
    }
}
