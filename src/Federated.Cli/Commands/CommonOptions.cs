using System.CommandLine;

namespace Federated.Cli.Commands;

internal static class CommonOptions
{
    public static Option<string> DataDir() => new("--data-dir", "-d")
    {
        Description = "Folder for the event log (events.db), blobs and checkpoints",
        DefaultValueFactory = _ => Embedded.DataDirectory.DefaultPath,
    };

    public static Option<bool> Json(string what) => new("--json") { Description = $"Print {what} as JSON on stdout (progress goes to stderr)" };
}

/// <summary>Exit codes shared by every command.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;
    public const int Cancelled = 130;
}
