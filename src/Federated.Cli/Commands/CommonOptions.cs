using System.CommandLine;

namespace Federated.Cli.Commands;

internal static class CommonOptions
{
    public static Option<string> DataDir() => new("--data-dir", "-d")
    {
        Description = "Folder for the event log (events.db), blobs and checkpoints",
        DefaultValueFactory = _ => Embedded.DataDirectory.DefaultPath,
    };

    public const string DataRootVariable = "FED_DATA_ROOT";
    public const string MaxDatasetBytesVariable = "FED_MAX_DATASET_BYTES";

    /// <param name="fallback">Where the root is when the option is not given.</param>
    public static Option<string?> DataRoot(string fallback) => new("--data-root")
    {
        Description = "The only folder a spec's dataset file may come from (relative paths resolve in it; nothing outside it, " +
            $"no links out of it, regular files only); default {fallback}",
    };

    public static Option<long?> MaxDatasetBytes() => new("--max-dataset-bytes")
    {
        Description = $"Largest dataset file read, in bytes; default ${MaxDatasetBytesVariable}, else {Coordinator.Data.DataRoot.DefaultMaxFileBytes} (1 GiB)",
    };

    /// <summary>The data root at <paramref name="path"/> (null: none), its file size limit from the option,
    /// FED_MAX_DATASET_BYTES or 1 GiB; false after printing why when the folder or the limit is unusable.</summary>
    public static bool TryDataRoot(string? path, long? maxBytesOption, out Coordinator.Data.DataRoot? root)
    {
        root = null;
        long maxBytes = Coordinator.Data.DataRoot.DefaultMaxFileBytes;
        if (maxBytesOption is { } given) maxBytes = given;
        else if (Environment.GetEnvironmentVariable(MaxDatasetBytesVariable) is { Length: > 0 } text && !long.TryParse(text, out maxBytes))
        {
            Console.Error.WriteLine($"error: {MaxDatasetBytesVariable}='{text}' is not a whole number of bytes");
            return false;
        }
        if (maxBytes < 1 || maxBytes > Coordinator.Data.DataRoot.LargestMaxFileBytes)
        {
            Console.Error.WriteLine($"error: --max-dataset-bytes must be between 1 and {Coordinator.Data.DataRoot.LargestMaxFileBytes}, got {maxBytes}");
            return false;
        }
        if (path is null) return true;
        try
        {
            root = new Coordinator.Data.DataRoot(path, maxBytes);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or Domain.Runs.RunSpecException)
        {
            Console.Error.WriteLine($"error: bad data root '{path}': {e.Message}");
            return false;
        }
    }

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
