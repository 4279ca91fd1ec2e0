namespace Federated.Cli.Embedded;

/// <summary>The embedded default's on-disk layout: one folder holds the event log, the blobs and the checkpoints.</summary>
public sealed record DataDirectory(string Root)
{
    public const string DefaultPath = "fed-data";

    public string EventsDb => Path.Combine(Root, "events.db");
    public string Blobs => Path.Combine(Root, "blobs");
    public string Checkpoints => Path.Combine(Root, "checkpoints");

    public static DataDirectory At(string? path) => new(Path.GetFullPath(string.IsNullOrWhiteSpace(path) ? DefaultPath : path));

    public bool HasEventLog => File.Exists(EventsDb);
}
