using System.Text;

namespace Federated.EventStore.Postgres.Tests.Support;

internal static class Events
{
    public static EventData New(string type = "Something.V1", string json = "{}") =>
        new(Guid.NewGuid(), type, Encoding.UTF8.GetBytes(json));

    /// <summary>Events whose data says which one they are: {"n":0}, {"n":1}, ...</summary>
    public static EventData[] Numbered(int count, int first = 0) =>
        Enumerable.Range(first, count).Select(n => New(json: $"{{\"n\":{n}}}")).ToArray();
}
