using System.CommandLine;
using System.Numerics;
using Federated.Chain.Keystore;
using Federated.Chain.Signing;
using Federated.Cli.Identity;

namespace Federated.Cli.Commands;

/// <summary>`fed worker keygen --out key.json`: a worker identity, a secp256k1 key whose Ethereum address also
/// receives the worker's payouts, written as a Web3 Secret Storage v3 keystore. The key is new, or the one in
/// FED_WORKER_KEY; the password comes from --password-file or FED_KEY_PASSWORD.</summary>
public static class WorkerKeygenCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo>("--out", "-o") { Description = "Keystore file to write", Required = true };
        var passwordFile = new Option<FileInfo?>("--password-file") { Description = $"File whose first line is the password (default: ${WorkerKeys.PasswordVariable})" };
        var scryptN = new Option<int>("--scrypt-n")
        {
            Description = "scrypt cost n (a power of 2; r = 8, p = 1); 262144 is geth's standard, about 256 MiB",
            DefaultValueFactory = _ => ScryptParameters.Standard.N,
        };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing file" };
        var command = new Command("keygen", $"Create a worker key and write it as an encrypted keystore (imports ${WorkerKeys.KeyVariable} if set)")
        {
            output, passwordFile, scryptN, force,
        };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(output)!;
            try
            {
                if (file.Exists && !parse.GetValue(force))
                    throw new WorkerKeyException($"{file.FullName} already exists; pass --force to overwrite it");
                var n = parse.GetValue(scryptN);
                if (n < 2 || !BitOperations.IsPow2(n)) throw new WorkerKeyException($"--scrypt-n must be a power of 2 greater than 1, got {n}");
                var password = WorkerKeys.Password(parse.GetValue(passwordFile)?.FullName);
                var key = WorkerKeys.FromEnvironment() ?? WorkerKeys.Random();
                var scrypt = new ScryptParameters(n, ScryptParameters.Standard.R, ScryptParameters.Standard.P).Check();
                var json = Web3Keystore.Encrypt(key, password, new KeystoreOptions { Scrypt = scrypt });
                file.Directory?.Create();
                SecretFile.WriteAllText(file.FullName, json);
                Console.Out.WriteLine(EthSigner.AddressOf(key).ToChecksumString());
                Console.Error.WriteLine($"wrote {file.FullName}: this address identifies the worker and receives its payouts");
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is WorkerKeyException or KeystoreException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.BadInput;
            }
        });
        return command;
    }
}
