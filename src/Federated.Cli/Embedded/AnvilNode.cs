using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Federated.Chain.Rpc;

namespace Federated.Cli.Embedded;

/// <summary>
/// A private anvil node on 127.0.0.1 and a free port, started from the binary scripts/provision/chain.sh installs
/// (contracts/node_modules, found by walking up from the program and the working directory; FED_ANVIL overrides).
/// With a state file it loads the chain from it when present and writes it back when stopped, so a later
/// `fed verify` or `fed payouts` can read the same chain.
/// </summary>
internal sealed class AnvilNode : IAsyncDisposable
{
    public const int ChainId = 31337;
    private const string AnvilRelative = "contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private AnvilNode(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
        Client = new EthereumRpcClient(endpoint);
    }

    public Uri Endpoint { get; }
    public EthereumRpcClient Client { get; }

    /// <param name="stateFile">Load from it if it exists; with <paramref name="saveOnStop"/>, dump to it when stopped.</param>
    public static async Task<AnvilNode> StartAsync(string? stateFile, bool saveOnStop, CancellationToken cancellationToken)
    {
        var anvil = FindAnvil();
        var port = FreePort();
        var start = new ProcessStartInfo(anvil) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        string[] arguments = ["--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--chain-id", ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent"];
        foreach (var a in arguments) start.ArgumentList.Add(a);
        if (stateFile is not null && File.Exists(stateFile)) { start.ArgumentList.Add("--load-state"); start.ArgumentList.Add(stateFile); }
        if (stateFile is not null && saveOnStop) { start.ArgumentList.Add("--dump-state"); start.ArgumentList.Add(stateFile); }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {anvil}");
        var node = new AnvilNode(process, new Uri($"http://127.0.0.1:{port}/"));
        process.ErrorDataReceived += (_, e) => { lock (node._stderr) node._stderr.AppendLine(e.Data); };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await node.Client.ChainIdAsync(cancellationToken);
                return node;
            }
            catch (Exception e) when (e is RpcTransportException or TimeoutException)
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    await node.DisposeAsync();
                    throw new InvalidOperationException($"anvil ({anvil}) did not start on 127.0.0.1:{port}: {node._stderr}".TrimEnd());
                }
                await Task.Delay(50, cancellationToken);
            }
        }
    }

    /// <summary>The anvil binary, or an error saying how to install it.</summary>
    public static string FindAnvil()
    {
        if (Environment.GetEnvironmentVariable("FED_ANVIL") is { Length: > 0 } overridden)
            return File.Exists(overridden) ? overridden : throw new InvalidOperationException($"FED_ANVIL is {overridden}, which does not exist");
        return FindInCheckout(AnvilRelative)
            ?? throw new InvalidOperationException(
                $"anvil is not installed: no {AnvilRelative} above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}. " +
                "Run `bash scripts/provision/chain.sh` (or set FED_ANVIL), or pass --no-chain.");
    }

    /// <summary>A file of the checkout, looked for above the program and above the working directory.</summary>
    public static string? FindInCheckout(string relative)
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    /// <summary>Stops anvil with SIGTERM, so it writes its state file, then waits for it to exit.</summary>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            if (!await TerminateAsync(_process.Id)) _process.Kill(entireProcessTree: true);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _process.WaitForExitAsync(wait.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _process.Dispose();
    }

    /// <summary>Sends SIGTERM with kill(1): .NET's Process.Kill sends SIGKILL, after which anvil writes no state.</summary>
    private static async Task<bool> TerminateAsync(int pid)
    {
        try
        {
            using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false });
            if (kill is null) return false;
            await kill.WaitForExitAsync();
            return kill.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no kill(1) on this machine
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
