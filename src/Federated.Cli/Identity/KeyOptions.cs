using System.CommandLine;

namespace Federated.Cli.Identity;

/// <summary>
/// The options a process that signs takes: `--key-file` (a Web3 Secret Storage keystore, password from
/// `--password-file` or FED_KEY_PASSWORD) or, failing that, a hex key in an environment variable.
/// </summary>
internal sealed class KeyOptions(string what, string keyFileOption, string keyVariable)
{
    public Option<FileInfo?> KeyFile { get; } = new(keyFileOption) { Description = $"Keystore (Web3 Secret Storage v3) holding the {what} key; default ${keyVariable} (hex)" };

    public Option<FileInfo?> PasswordFile { get; } = new("--password-file") { Description = $"The keystore's password, first line; default ${WorkerKeys.PasswordVariable}" };

    public string KeyVariable => keyVariable;

    public void AddTo(Command command)
    {
        command.Options.Add(KeyFile);
        command.Options.Add(PasswordFile);
    }

    /// <summary>The key from the keystore or the variable; null when neither is given.</summary>
    /// <exception cref="WorkerKeyException">A key was given but cannot be read; the message names where from and why.</exception>
    public byte[]? Load(ParseResult parse)
    {
        if (parse.GetValue(KeyFile) is { } file)
        {
            // A missing file is the news, before any complaint about its password.
            if (!file.Exists) throw new WorkerKeyException($"keystore {file.FullName} does not exist");
            return WorkerKeys.FromKeystore(file.FullName, WorkerKeys.Password(parse.GetValue(PasswordFile)?.FullName)).PrivateKey;
        }
        var hex = Environment.GetEnvironmentVariable(keyVariable);
        return string.IsNullOrWhiteSpace(hex) ? null : WorkerKeys.Parse(hex.Trim(), keyVariable);
    }
}
