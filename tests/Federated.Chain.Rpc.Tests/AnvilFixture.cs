using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using Federated.Chain.Hashing;
using Federated.Chain.Signing;

namespace Federated.Chain.Rpc.Tests;

/// <summary>A real anvil node on 127.0.0.1 and a free port, chain id 31337, killed on dispose. Fails (never
/// skips) when anvil is not installed.</summary>
public class AnvilFixture : IAsyncLifetime
{
    public const int ChainId = 31337;

    private Process? _process;
    private readonly System.Text.StringBuilder _stderr = new();

    public EthereumRpcClient Client { get; private set; } = null!;

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Extra anvil arguments, e.g. "--no-mining", for a subclass that needs them.</summary>
    protected virtual IEnumerable<string> ExtraArguments => [];

    public async Task InitializeAsync()
    {
        if (!File.Exists(RepositoryPaths.Anvil))
            throw new InvalidOperationException(
                $"anvil is not installed at {RepositoryPaths.Anvil}. Run `bash scripts/provision/chain.sh` (npm ci in contracts/) first.");
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            Endpoint = new Uri($"http://127.0.0.1:{port}/");
            var start = new ProcessStartInfo(RepositoryPaths.Anvil)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])["--host", "127.0.0.1", "--port", port.ToString(), "--chain-id", ChainId.ToString(), "--silent", .. ExtraArguments])
                start.ArgumentList.Add(argument);
            _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {RepositoryPaths.Anvil}.");
            _process.ErrorDataReceived += (_, e) => { lock (_stderr) _stderr.AppendLine(e.Data); };
            _process.OutputDataReceived += (_, _) => { };
            _process.BeginErrorReadLine();
            _process.BeginOutputReadLine();
            Client = new EthereumRpcClient(Endpoint, options: new EthereumRpcClientOptions { RequestTimeout = TimeSpan.FromSeconds(20) });
            if (await WaitUntilReadyAsync())
                return;
            await DisposeAsync();
            if (attempt == 3)
                throw new InvalidOperationException($"anvil did not start on 127.0.0.1:{port}: {_stderr}");
        }
    }

    private async Task<bool> WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline && !_process!.HasExited)
        {
            try
            {
                await Client.ChainIdAsync();
                return true;
            }
            catch (Exception e) when (e is RpcTransportException or TimeoutException)
            {
                await Task.Delay(50);
            }
        }
        return false;
    }

    public Task DisposeAsync()
    {
        Client?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        _process = null;
        return Task.CompletedTask;
    }

    /// <summary>A deterministic account funded with <paramref name="ether"/> ETH (0 leaves it empty).</summary>
    public async Task<TestAccount> AccountAsync(string name, int ether = 100)
    {
        var account = TestAccount.Named(name);
        if (ether > 0)
            await Client.SetBalanceAsync(account.Address, new BigInteger(ether) * BigInteger.Pow(10, 18));
        return account;
    }

    public TransactionSender Sender(TestAccount account, TransactionSenderOptions? options = null) =>
        new(Client, account.PrivateKey, ChainId, options ?? new TransactionSenderOptions { PollInterval = TimeSpan.FromMilliseconds(20) });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>anvil with --no-mining: transactions wait in the pool until a test mines.</summary>
public sealed class ManualMiningAnvilFixture : AnvilFixture
{
    protected override IEnumerable<string> ExtraArguments => ["--no-mining"];
}

public sealed record TestAccount(string Name, byte[] PrivateKey, EthereumAddress Address)
{
    public static TestAccount Named(string name)
    {
        var key = Keccak256.HashUtf8("federated-test-account:" + name);
        return new TestAccount(name, key, EthSigner.AddressOf(key));
    }
}
