using System.Text;
using Federated.EventStore.Sqlite;
using Federated.EventStore.Tests.Support;
using Federated.EventStore.Verification;

namespace Federated.EventStore.Tests.Sqlite;

/// <summary>Edits the database behind the store's back, the way someone rewriting history would, and expects the verifier to say where.</summary>
public sealed class SqliteTamperingTests : IDisposable
{
    private const int EventCount = 5;
    private readonly TempDatabase _file = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task Changing_one_byte_of_an_events_data_in_SQL_is_reported_at_that_event()
    {
        await WriteLogAsync();

        ChangeDataByte(globalPosition: 3);

        Assert.Equal(3, (await VerifyAsync()).Failure?.GlobalPosition);
    }

    [Fact]
    public async Task Changing_an_events_data_in_SQL_is_reported_as_a_modified_event()
    {
        await WriteLogAsync();

        ChangeDataByte(globalPosition: 3);

        Assert.Equal("hash mismatch: stored event was modified", (await VerifyAsync()).Failure?.Reason);
    }

    [Fact]
    public async Task Flipping_one_byte_of_the_database_file_inside_an_events_payload_is_reported_at_that_event()
    {
        await WriteLogAsync();
        _file.ReleaseConnections();
        var bytes = await File.ReadAllBytesAsync(_file.Path);
        var offset = SingleOffset(bytes, Marker(4));

        bytes[offset] ^= 0x01; // 'm' becomes 'l': still valid JSON, so only the hash can tell
        await File.WriteAllBytesAsync(_file.Path, bytes);

        Assert.Equal(4, (await VerifyAsync()).Failure?.GlobalPosition);
    }

    [Fact]
    public async Task Deleting_an_event_row_is_reported_as_a_gap_at_the_next_event()
    {
        await WriteLogAsync();

        Execute("DELETE FROM events WHERE global_position = 2;");

        Assert.Equal(
            (3L, "gap in global positions: event 2 is missing"),
            (await VerifyAsync()).Failure is { } f ? (f.GlobalPosition, f.Reason) : default);
    }

    [Fact]
    public async Task Rewriting_an_edited_events_hash_breaks_the_chain_at_the_next_event()
    {
        await WriteLogAsync();

        ChangeDataByte(globalPosition: 2);
        await RehashAsync(globalPosition: 2);

        Assert.Equal(
            (3L, "chain broken: previous hash does not match event 2"),
            (await VerifyAsync()).Failure is { } f ? (f.GlobalPosition, f.Reason) : default);
    }

    [Fact]
    public async Task A_failure_names_the_events_stream_version_and_type()
    {
        await WriteLogAsync();

        ChangeDataByte(globalPosition: 3);

        Assert.Equal(("run-1", 1L, "Something.V1"), (await VerifyAsync()).Failure is { } f ? (f.StreamId, f.StreamVersion, f.EventType) : default);
    }

    private static string Marker(int n) => $"marker-{n}-c0ffee";

    /// <summary>Events 1..5 alternate between run-1 and run-0; event n's data holds <see cref="Marker"/>(n).</summary>
    private async Task WriteLogAsync()
    {
        using var store = new SqliteEventStore(_file.Path);
        for (var n = 1; n <= EventCount; n++)
        {
            var data = Encoding.UTF8.GetBytes($$"""{"note":"{{Marker(n)}}"}""");
            await store.AppendAsync($"run-{n % 2}", ExpectedVersion.Any, [new EventData(Guid.NewGuid(), "Something.V1", data)]);
        }
    }

    private async Task<VerificationResult> VerifyAsync()
    {
        using var store = new SqliteEventStore(_file.Path);
        return await new EventLogVerifier(store, pageSize: 2).VerifyAsync();
    }

    /// <summary>Makes an edited event's own hash consistent again, as a careful forger would.</summary>
    private async Task RehashAsync(long globalPosition)
    {
        RecordedEvent edited;
        using (var store = new SqliteEventStore(_file.Path))
        {
            edited = (await store.ReadAllAsync(globalPosition - 1, 1).ToListAsync()).Single();
        }

        using var connection = _file.OpenRaw();
        using var write = connection.CreateCommand();
        write.CommandText = "UPDATE events SET hash = $hash WHERE global_position = $p;";
        write.Parameters.AddWithValue("$hash", HashChain.Compute(edited));
        write.Parameters.AddWithValue("$p", globalPosition);
        Assert.Equal(1, write.ExecuteNonQuery());
    }

    private void ChangeDataByte(long globalPosition)
    {
        using var connection = _file.OpenRaw();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT data FROM events WHERE global_position = $p;";
        read.Parameters.AddWithValue("$p", globalPosition);
        var data = (byte[])read.ExecuteScalar()!;
        data[^3] ^= 0x01;
        using var write = connection.CreateCommand();
        write.CommandText = "UPDATE events SET data = $data WHERE global_position = $p;";
        write.Parameters.AddWithValue("$data", data);
        write.Parameters.AddWithValue("$p", globalPosition);
        Assert.Equal(1, write.ExecuteNonQuery());
    }

    private void Execute(string sql)
    {
        using var connection = _file.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    private static int SingleOffset(byte[] haystack, string marker)
    {
        var needle = Encoding.UTF8.GetBytes(marker);
        var offset = haystack.AsSpan().IndexOf(needle);
        Assert.True(offset >= 0, $"{marker} is not in the file");
        Assert.Equal(-1, haystack.AsSpan(offset + 1).IndexOf(needle));
        return offset;
    }
}
