using Federated.Testing;

namespace Federated.Distributed.Tests;

/// <summary>Bad settings end `fed coordinator` / `fed worker` / `fed launch` at once with exit code 2 and a message
/// naming what is wrong and where. No servers needed: nothing here gets as far as a broker.</summary>
public sealed class CommandLineErrorTests
{
    [Fact]
    public async Task A_coordinator_with_a_broker_uri_of_an_unknown_scheme_exits_with_2_naming_the_scheme()
    {
        var result = await FedAsync("coordinator", "--broker", "ftp://user:secret@127.0.0.1/x", "--data", TempData());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unsupported scheme 'ftp'", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_coordinator_whose_database_does_not_answer_exits_with_2_naming_host_and_port()
    {
        var port = FreePort.Next();

        var result = await FedAsync("coordinator", "--broker", "loopback://", "--store", $"Host=127.0.0.1;Port={port};Username=fed;Password=secret;Database=fed",
            "--data", TempData());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"127.0.0.1:{port}", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_without_a_blob_server_exits_with_2_saying_which_option_is_missing()
    {
        var result = await FedAsync("worker", "--broker", "loopback://", "--id", "w1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--blob-url", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Launch_with_wait_but_no_event_store_exits_with_2_before_contacting_the_broker()
    {
        var spec = Path.Combine(TempData(), "spec.json");
        Directory.CreateDirectory(Path.GetDirectoryName(spec)!);
        await File.WriteAllTextAsync(spec, TestSpecs.Small().ToJsonString());

        var result = await FedAsync(AdminEnvironment, "launch", spec, "--broker", "loopback://", "--wait");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--store", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Launch_without_an_admin_key_exits_with_2_naming_where_to_give_one()
    {
        var spec = Path.Combine(TempData(), "spec.json");
        Directory.CreateDirectory(Path.GetDirectoryName(spec)!);
        await File.WriteAllTextAsync(spec, TestSpecs.Small().ToJsonString());

        var result = await FedAsync("launch", spec, "--broker", "loopback://");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("needs a consortium admin's key: give --admin-key-file or set FED_ADMIN_KEY", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_coordinator_admin_that_is_not_an_address_exits_with_2_naming_it()
    {
        var result = await FedAsync("coordinator", "--broker", "loopback://", "--admin", "0x1234", "--data", TempData());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("admin '0x1234' is not an Ethereum address", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_coordinator_with_a_chain_but_no_distributor_exits_with_2_naming_the_option()
    {
        var result = await FedAsync("coordinator", "--broker", "loopback://", "--data", TempData(), "--chain-rpc", "http://127.0.0.1:1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no distributor: pass --distributor", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_coordinator_whose_chain_id_differs_from_the_node_exits_with_2_naming_both_ids()
    {
        var data = TempData();
        Directory.CreateDirectory(data);
        await using var anvil = await ChainPayoutTests.StartAnvilAsync(data);

        var result = await FedAsync("coordinator", "--broker", "loopback://", "--data", data, "--chain-rpc", anvil.Rpc.ToString(), "--chain-id", "5",
            "--distributor", "0x" + new string('1', 40), "--chain-key-file", Path.Combine(data, "missing.json"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("keystore", result.Output, StringComparison.Ordinal);

        var mismatch = await FedAsync(new Dictionary<string, string?> { ["FED_CHAIN_KEY"] = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" },
            "coordinator", "--broker", "loopback://", "--data", data, "--chain-rpc", anvil.Rpc.ToString(), "--chain-id", "5", "--distributor", "0x" + new string('1', 40));
        Assert.Equal(2, mismatch.ExitCode);
        Assert.Contains($"chain id mismatch: --chain-id is 5, but {anvil.Rpc} reports chain id 31337", mismatch.Output, StringComparison.Ordinal);
    }

    private static readonly Dictionary<string, string?> AdminEnvironment = new()
    {
        ["FED_ADMIN_KEY"] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData("cli-error-tests/admin"u8)),
    };

    private static string TempData() => Path.Combine(Path.GetTempPath(), "fed-dist-cli", Guid.NewGuid().ToString("N")[..8]);

    private static Task<ProcessResult> FedAsync(params string[] arguments) => FedAsync([], arguments);

    private static Task<ProcessResult> FedAsync(Dictionary<string, string?> environment, params string[] arguments)
    {
        var all = new Dictionary<string, string?>
        {
            ["FED_STORE"] = null, ["FED_BLOB_URL"] = null, ["FED_BROKER"] = null, ["FED_ADMIN_KEY"] = null, ["FED_ADMINS"] = null, ["FED_WORKER_KEY"] = null,
            ["FED_CHAIN_RPC"] = null, ["FED_CHAIN_ID"] = null, ["FED_DISTRIBUTOR"] = null, ["FED_CHAIN_KEY"] = null, ["FED_KEY_PASSWORD"] = null,
        };
        foreach (var (key, value) in environment) all[key] = value;
        return LocalProcess.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "fed.dll"), .. arguments], all, TimeSpan.FromSeconds(60));
    }
}
