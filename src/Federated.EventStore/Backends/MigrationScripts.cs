using System.Globalization;
using System.Reflection;

namespace Federated.EventStore.Backends;

/// <summary>One schema script: its number (1, 2, ...), file name and SQL.</summary>
public sealed record MigrationScript(int Version, string Name, string Sql);

/// <summary>
/// A backend's numbered schema scripts, embedded as resources named "Migrations/NNNN_name.sql", in the order they
/// are applied. Each backend applies them its own way (in one transaction, under its own lock); which ones it
/// applies, and what a database newer than the build means, are decided here.
/// </summary>
public sealed class MigrationScripts
{
    public const string ResourcePrefix = "Migrations/";

    private MigrationScripts(IReadOnlyList<MigrationScript> all) => All = all;

    /// <summary>Every script, in order: script i has version i + 1.</summary>
    public IReadOnlyList<MigrationScript> All { get; }

    /// <summary>The schema version this build writes.</summary>
    public int LatestVersion => All.Count;

    /// <summary>The scripts embedded in <paramref name="assembly"/>.</summary>
    public static MigrationScripts Embedded(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return FromFiles(assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                return (name[ResourcePrefix.Length..], reader.ReadToEnd());
            }));
    }

    /// <summary>Scripts from (file name, SQL) pairs, each name starting with its number and an underscore.</summary>
    /// <exception cref="InvalidOperationException">A name has no number, or the numbers are not 1, 2, 3, ... without gaps.</exception>
    public static MigrationScripts FromFiles(IEnumerable<(string FileName, string Sql)> files)
    {
        var scripts = files
            .Select(f =>
            {
                var underscore = f.FileName.IndexOf('_');
                if (underscore <= 0 || !int.TryParse(f.FileName.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                    throw new InvalidOperationException($"Migration script '{f.FileName}' must be named NNNN_name.sql, starting with its number.");
                return new MigrationScript(version, f.FileName, f.Sql);
            })
            .OrderBy(m => m.Version)
            .ToList();

        // A missing or doubled number would silently skip or repeat schema changes.
        for (var i = 0; i < scripts.Count; i++)
        {
            if (scripts[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migration scripts must be numbered 1, 2, 3, ... without gaps; found {scripts[i].Name} at place {i + 1}.");
            }
        }

        return new MigrationScripts(scripts);
    }

    /// <summary>The scripts a database at schema version <paramref name="current"/> still needs, in order.</summary>
    /// <param name="location">The database, for the error (a file path or server).</param>
    /// <param name="database">How the error names the database, e.g. "'/data/fed.db'" or "'host' (schema 'fed')".</param>
    /// <exception cref="EventStoreException">The database is newer than this build: it was written by a newer fed.</exception>
    public IEnumerable<MigrationScript> PendingAfter(int current, string location, string database)
    {
        if (current > LatestVersion)
        {
            throw new EventStoreException(location,
                $"Event store database {database} has schema version {current}, newer than this build knows ({LatestVersion}). Use a newer fed.");
        }

        return All.Skip(current);
    }
}
