using Federated.EventStore.Backends;

namespace Federated.EventStore.Tests.Backends;

public class MigrationScriptsTests
{
    [Fact]
    public void Scripts_are_ordered_by_their_number_not_by_how_they_were_listed()
    {
        var scripts = MigrationScripts.FromFiles([("0002_b.sql", "B"), ("0001_a.sql", "A"), ("0003_c.sql", "C")]);

        Assert.Equal(["A", "B", "C"], scripts.All.Select(s => s.Sql));
    }

    [Fact]
    public void A_gap_in_the_numbers_is_refused_naming_the_script()
    {
        var e = Assert.Throws<InvalidOperationException>(() => MigrationScripts.FromFiles([("0001_a.sql", "A"), ("0003_c.sql", "C")]));

        Assert.Contains("0003_c.sql", e.Message);
    }

    [Fact]
    public void A_number_used_twice_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => MigrationScripts.FromFiles([("0001_a.sql", "A"), ("0001_b.sql", "B")]));
    }

    [Fact]
    public void A_script_without_a_number_is_refused_naming_it()
    {
        var e = Assert.Throws<InvalidOperationException>(() => MigrationScripts.FromFiles([("initial.sql", "A")]));

        Assert.Contains("initial.sql", e.Message);
    }

    [Fact]
    public void A_database_at_version_one_needs_the_scripts_after_it()
    {
        var scripts = MigrationScripts.FromFiles([("0001_a.sql", "A"), ("0002_b.sql", "B"), ("0003_c.sql", "C")]);

        Assert.Equal([2, 3], scripts.PendingAfter(1, "db", "'db'").Select(s => s.Version));
    }

    [Fact]
    public void A_database_newer_than_the_build_is_refused_naming_it()
    {
        var scripts = MigrationScripts.FromFiles([("0001_a.sql", "A")]);

        var e = Assert.Throws<EventStoreException>(() => scripts.PendingAfter(2, "/data/fed.db", "'/data/fed.db'"));

        Assert.Equal(("/data/fed.db", true), (e.Location, e.Message.Contains("has schema version 2, newer than this build knows (1)")));
    }

    [Fact]
    public void The_embedded_scripts_of_both_backends_load_in_order()
    {
        var sqlite = MigrationScripts.Embedded(typeof(Federated.EventStore.Sqlite.SqliteEventStore).Assembly);

        Assert.Equal(Enumerable.Range(1, sqlite.LatestVersion), sqlite.All.Select(s => s.Version));
    }
}
