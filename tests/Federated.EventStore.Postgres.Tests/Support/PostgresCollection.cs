namespace Federated.EventStore.Postgres.Tests.Support;

/// <summary>Every PostgreSQL test shares one private server and runs one at a time (the restart test stops it).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServerFixture>
{
    public const string Name = "PostgreSQL server";
}
