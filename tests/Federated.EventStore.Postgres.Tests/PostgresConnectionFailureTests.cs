using System.Net;
using System.Net.Sockets;
using Federated.EventStore.Postgres.Tests.Support;
using Npgsql;

namespace Federated.EventStore.Postgres.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresConnectionFailureTests(PostgresServerFixture server)
{
    private const string Password = "hunter2-do-not-print";

    [Fact]
    public async Task Opening_a_store_where_no_server_listens_throws_EventStoreException_naming_the_server()
    {
        var port = UnusedPort();

        var e = await Assert.ThrowsAsync<EventStoreException>(() => PostgresEventStore.OpenAsync(ConnectionString(port)));

        Assert.Contains($"'127.0.0.1:{port}/fed_tests' (schema 'public'): open failed: the server cannot be reached", e.Message);
    }

    [Fact]
    public async Task A_failed_open_never_shows_the_password()
    {
        var e = await Assert.ThrowsAsync<EventStoreException>(() => PostgresEventStore.OpenAsync(ConnectionString(UnusedPort())));

        Assert.DoesNotContain(Password, e.ToString() + e.Location);
    }

    [Fact]
    public async Task Opening_a_store_on_a_missing_database_says_the_database_does_not_exist()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(server.Server.ConnectionString) { Database = "no_such_db" }.ToString();

        var e = await Assert.ThrowsAsync<EventStoreException>(() => PostgresEventStore.OpenAsync(connectionString));

        Assert.Contains("the database does not exist", e.Message);
    }

    [Fact]
    public async Task Reading_while_the_server_is_down_throws_EventStoreException()
    {
        var schema = PostgresServerFixture.NewSchemaName();
        await using var store = await PostgresEventStore.OpenAsync(server.DataSource, new PostgresStoreOptions { Schema = schema });
        await server.Server.StopAsync();
        try
        {
            server.DataSource.Clear();

            await Assert.ThrowsAsync<EventStoreException>(() => store.GetHeadPositionAsync());
        }
        finally
        {
            await server.Server.StartAsync();
            server.DataSource.Clear();
            await server.DropSchemaAsync(schema);
        }
    }

    [Fact]
    public async Task A_schema_name_that_would_need_quoting_is_refused_before_connecting()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            PostgresEventStore.OpenAsync(server.DataSource, new PostgresStoreOptions { Schema = "Events\"; DROP" }));
    }

    private static string ConnectionString(int port) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = port,
        Username = "postgres",
        Password = Password,
        Database = "fed_tests",
        Timeout = 5,
    }.ToString();

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
