using Federated.Chain.Keystore;
using Federated.Chain.Codecs;

namespace Federated.Cli.Tests;

/// <summary>`fed worker keygen` as an operator runs it.</summary>
public sealed class WorkerKeygenTests
{
    private static readonly Dictionary<string, string?> NoKeyVariables = new() { ["FED_WORKER_KEY"] = null, ["FED_KEY_PASSWORD"] = null };

    [Fact]
    public async Task Keygen_writes_a_keystore_that_decrypts_to_the_printed_address()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir.File("pw"), "correct horse\n");

        var result = await FedProcess.RunAsync(NoKeyVariables, "worker", "keygen", "--out", dir.File("key.json"), "--password-file", dir.File("pw"), "--scrypt-n", "1024");

        Assert.Equal(0, result.ExitCode);
        var key = Web3Keystore.Decrypt(await File.ReadAllTextAsync(dir.File("key.json")), "correct horse");
        Assert.Equal(key.Address.ToChecksumString(), result.Stdout.Trim());
    }

    [Fact]
    public async Task Keygen_imports_the_key_in_fed_worker_key_with_the_password_from_the_environment()
    {
        using var dir = new TempDir();
        var env = new Dictionary<string, string?>
        {
            ["FED_WORKER_KEY"] = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318",
            ["FED_KEY_PASSWORD"] = "from-env",
        };

        var result = await FedProcess.RunAsync(env, "worker", "keygen", "--out", dir.File("key.json"), "--scrypt-n", "1024");

        Assert.Equal(0, result.ExitCode);
        var key = Web3Keystore.Decrypt(await File.ReadAllTextAsync(dir.File("key.json")), "from-env");
        Assert.Equal("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", Hex.Encode(key.PrivateKey));
    }

    [Fact]
    public async Task Keygen_without_a_password_says_where_to_give_one_and_writes_nothing()
    {
        using var dir = new TempDir();

        var result = await FedProcess.RunAsync(NoKeyVariables, "worker", "keygen", "--out", dir.File("key.json"));

        Assert.Equal((2, false), (result.ExitCode, File.Exists(dir.File("key.json"))));
        Assert.Contains("no password: give --password-file or set FED_KEY_PASSWORD", result.Stderr);
    }

    [Fact]
    public async Task Keygen_refuses_a_malformed_fed_worker_key()
    {
        using var dir = new TempDir();
        var env = new Dictionary<string, string?> { ["FED_WORKER_KEY"] = "0x1234", ["FED_KEY_PASSWORD"] = "pw" };

        var result = await FedProcess.RunAsync(env, "worker", "keygen", "--out", dir.File("key.json"), "--scrypt-n", "1024");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("FED_WORKER_KEY is not a 32-byte hex private key: Expected 32 bytes of hex, got 2.", result.Stderr);
    }

    [Fact]
    public async Task Keygen_does_not_overwrite_an_existing_keystore()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir.File("key.json"), "precious");
        await File.WriteAllTextAsync(dir.File("pw"), "pw");

        var result = await FedProcess.RunAsync(NoKeyVariables, "worker", "keygen", "--out", dir.File("key.json"), "--password-file", dir.File("pw"), "--scrypt-n", "1024");

        Assert.Equal((2, "precious"), (result.ExitCode, await File.ReadAllTextAsync(dir.File("key.json"))));
    }

    [Fact]
    public async Task A_demo_worker_signs_with_the_keystore_it_is_given()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir.File("pw"), "pw");
        var keygen = await FedProcess.RunAsync(NoKeyVariables, "worker", "keygen", "--out", dir.File("key.json"), "--password-file", dir.File("pw"), "--scrypt-n", "1024");

        var demo = await FedProcess.RunAsync(NoKeyVariables, "demo", "--workers", "1", "--rounds", "1", "--data-dir", dir.File("data"),
            "--worker-keystore", dir.File("key.json"), "--password-file", dir.File("pw"));
        var events = await FedProcess.RunAsync("events", "--data-dir", dir.File("data"));

        Assert.Equal(0, demo.ExitCode);
        Assert.Contains($"\"address\":\"{keygen.Stdout.Trim()}\"", events.Stdout);
    }

    [Fact]
    public async Task A_demo_with_a_keystore_and_the_wrong_password_says_so()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir.File("pw"), "pw");
        await File.WriteAllTextAsync(dir.File("wrong"), "wrong");
        await FedProcess.RunAsync(NoKeyVariables, "worker", "keygen", "--out", dir.File("key.json"), "--password-file", dir.File("pw"), "--scrypt-n", "1024");

        var demo = await FedProcess.RunAsync(NoKeyVariables, "demo", "--workers", "1", "--rounds", "1", "--data-dir", dir.File("data"),
            "--worker-keystore", dir.File("key.json"), "--password-file", dir.File("wrong"));

        Assert.Equal(2, demo.ExitCode);
        Assert.Contains("keystore MAC does not match: wrong password", demo.Stderr);
    }
}
