using System.CommandLine;
using Federated.Messaging;

namespace Federated.Cli.Commands;

/// <summary>Options the distributed commands (coordinator, worker, launch) share. Each falls back to an environment variable.</summary>
internal static class DistributedOptions
{
    public static Option<string?> Broker() => new("--broker")
    {
        Description = $"Message broker: rabbitmq://user:pass@host:5672/vhost, or loopback:// (in-process); default ${BusSettings.BrokerVariable}",
    };

    public static Option<string?> Store() => new("--store")
    {
        Description = "Event store: a SQLite file, or PostgreSQL as Host=...;Database=... or postgres://user:pass@host:5432/db; default $FED_STORE",
    };

    /// <summary>Reads the broker option (or FED_BROKER); on a bad URI prints the error and returns null.</summary>
    public static BusSettings? BusSettingsOrError(string? option, string connectionName)
    {
        try
        {
            return BusSettings.FromEnvironment(option) with { ConnectionName = connectionName };
        }
        catch (BrokerUriException e)
        {
            Console.Error.WriteLine($"error: bad broker URI: {e.Message}");
            return null;
        }
    }
}
