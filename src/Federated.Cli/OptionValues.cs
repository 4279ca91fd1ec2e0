namespace Federated.Cli;

/// <summary>How every command reads a setting that may come from an option or from the environment.</summary>
internal static class OptionValues
{
    /// <summary>The option's value, else the environment variable's, else null.</summary>
    public static string? ValueOrVariable(string? option, string variable) =>
        !string.IsNullOrWhiteSpace(option) ? option : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } v ? v : null;
}
