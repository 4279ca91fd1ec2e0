using Federated.EventStore.Sqlite;
using Federated.EventStore.Tests.Support;
using Federated.EventStore.Verification;

namespace Federated.EventStore.Tests.Sqlite;

/// <summary>The file itself: what survives closing it, and what happens when it is not a healthy database.</summary>
public sealed class SqliteFileTests : IDisposable
{
    private readonly TempDatabase _file = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task Events_survive_closing_and_reopening_the_file()
    {
        List<RecordedEvent> written;
        using (var store = new SqliteEventStore(_file.Path))
        {
            await store.AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.Numbered(3));
            written = await store.ReadAllAsync(0, 100).ToListAsync();
        }

        using var reopened = new SqliteEventStore(_file.Path);
        var read = await reopened.ReadAllAsync(0, 100).ToListAsync();

        Assert.Equal(written.Select(e => Convert.ToHexString(e.Hash)), read.Select(e => Convert.ToHexString(e.Hash)));
    }

    [Fact]
    public async Task Appends_after_reopening_continue_the_hash_chain()
    {
        using (var store = new SqliteEventStore(_file.Path))
        {
            await store.AppendAsync("run-1", ExpectedVersion.NoStream, TestEvents.Numbered(2));
        }

        using var reopened = new SqliteEventStore(_file.Path);
        await reopened.AppendAsync("run-1", ExpectedVersion.Exact(1), [TestEvents.New()]);

        Assert.True((await new EventLogVerifier(reopened).VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task Checkpoints_survive_closing_and_reopening_the_file()
    {
        using (var checkpoints = new SqliteCheckpointStore(_file.Path))
        {
            await checkpoints.StoreAsync("projection-a", 12);
        }

        using var reopened = new SqliteCheckpointStore(_file.Path);

        Assert.Equal(12, await reopened.LoadAsync("projection-a"));
    }

    [Fact]
    public void Opening_a_new_file_records_schema_version_1()
    {
        using (new SqliteEventStore(_file.Path))
        {
        }

        using var connection = _file.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(version) FROM schema_version;";

        Assert.Equal("1", command.ExecuteScalar());
    }

    [Fact]
    public void Opening_a_new_file_switches_it_to_write_ahead_logging()
    {
        using (new SqliteEventStore(_file.Path))
        {
        }

        using var connection = _file.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";

        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public void Opening_a_file_with_a_newer_schema_throws_naming_the_file()
    {
        using (new SqliteEventStore(_file.Path))
        {
        }

        using (var connection = _file.OpenRaw())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO schema_version (version, name, applied_at) VALUES (99, '0099_future.sql', 0);";
            command.ExecuteNonQuery();
        }

        var e = Assert.Throws<EventStoreException>(() => new SqliteEventStore(_file.Path));

        Assert.Contains(_file.Path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Opening_a_file_of_random_bytes_throws_naming_the_file()
    {
        File.WriteAllBytes(_file.Path, RandomBytes(16 * 1024, seed: 1));

        var e = Assert.Throws<EventStoreException>(() => new SqliteEventStore(_file.Path));

        Assert.Contains($"'{_file.Path}': open failed: the file is corrupted or is not a SQLite database", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Opening_a_checkpoint_store_on_random_bytes_throws_naming_the_file()
    {
        File.WriteAllBytes(_file.Path, RandomBytes(16 * 1024, seed: 2));

        var e = Assert.Throws<EventStoreException>(() => new SqliteCheckpointStore(_file.Path));

        Assert.Equal(_file.Path, e.Location);
    }

    [Fact]
    public async Task Verifying_a_file_damaged_after_its_schema_reports_a_read_failure_naming_the_file()
    {
        using (var store = new SqliteEventStore(_file.Path))
        {
            for (var i = 0; i < 20; i++)
            {
                var events = Enumerable.Range(0, 10).Select(_ => TestEvents.New(json: $"\"{new string('x', 1000)}\"")).ToArray();
                await store.AppendAsync("run-1", ExpectedVersion.Any, events);
            }
        }

        _file.ReleaseConnections();
        OverwriteTail(_file.Path, fromFraction: 0.5, seed: 3);

        using var damaged = new SqliteEventStore(_file.Path);
        var failure = (await new EventLogVerifier(damaged, pageSize: 50).VerifyAsync()).Failure;

        Assert.Contains(_file.Path, failure?.Reason ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_a_file_damaged_after_its_schema_throws_EventStoreException()
    {
        using (var store = new SqliteEventStore(_file.Path))
        {
            var events = Enumerable.Range(0, 200).Select(_ => TestEvents.New(json: $"\"{new string('x', 1000)}\"")).ToArray();
            await store.AppendAsync("run-1", ExpectedVersion.Any, events);
        }

        _file.ReleaseConnections();
        OverwriteTail(_file.Path, fromFraction: 0.5, seed: 4);

        using var damaged = new SqliteEventStore(_file.Path);

        await Assert.ThrowsAsync<EventStoreException>(() => damaged.ReadAllAsync(0, 1000).ToListAsync());
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static void OverwriteTail(string path, double fromFraction, int seed)
    {
        var bytes = File.ReadAllBytes(path);
        var from = (int)(bytes.Length * fromFraction);
        RandomBytes(bytes.Length - from, seed).CopyTo(bytes, from);
        File.WriteAllBytes(path, bytes);
    }
}
