using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Federated.Chain;
using Federated.Chain.Attestations;
using Federated.Chain.Signing;
using Federated.Contracts;
using Federated.Coordinator.Trust;

// Signature verification throughput on the coordinator: signed ShardTrained messages checked per second by
// SubmissionAuthenticator (EIP-712 digest, signature parse, high-s check, signer recovery, address compare).
// One thread, as the coordinator's consumer checks a message. Never a timed test; compare numbers from one machine.
//   dotnet run -c Release --project bench/Federated.Bench.Signatures -- [--quick]
var quick = args.Contains("--quick");
var messages = quick ? 200 : 2000;
var rounds = quick ? 2 : 7;
const long chainId = 31337;

var signed = new ShardTrained[messages];
for (var i = 0; i < messages; i++)
{
    var key = RandomNumberGenerator.GetBytes(32);
    var message = new ShardTrained
    {
        RunId = "bench-run", Round = i / 64, ShardId = i % 64, LeaseId = $"lease-{i}", WorkerId = $"w{i}",
        UpdateHash = Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i))),
        BaseModelHash = Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(-i))),
        Tokens = 4096, TrainLoss = 1f, Deadline = 1_900_000_000,
    };
    var digest = new Contribution(message.RunId, message.Round, message.ShardId, message.LeaseId, message.BaseModelHash,
        message.UpdateHash, message.Tokens, message.Deadline.Value).Digest(FederatedDomain.For(chainId));
    var signer = EthSigner.AddressOf(key);
    signed[i] = message with { Signer = signer.ToChecksumString(), Signature = EthSigner.SignHash(digest, key).ToHex() };
}

// Warm-up, and a check that every message is accepted (a bench that measures refusals measures nothing).
foreach (var message in signed)
    if (SubmissionAuthenticator.Check(message, chainId) is not { Defect: null })
        throw new InvalidOperationException($"bench message {message.LeaseId} was refused");

// Rates per second of wall time and per second of this process's CPU time: on a shared host other processes take
// wall time, not CPU time, so compare builds by the CPU figure (and run them one after the other, on one machine).
var best = 0.0;
var bestCpu = 0.0;
var process = Process.GetCurrentProcess();
for (var round = 0; round < rounds; round++)
{
    process.Refresh();
    var cpuBefore = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    foreach (var message in signed)
        SubmissionAuthenticator.Check(message, chainId);
    var rate = messages / clock.Elapsed.TotalSeconds;
    process.Refresh();
    var cpuRate = messages / (process.TotalProcessorTime - cpuBefore).TotalSeconds;
    best = Math.Max(best, rate);
    bestCpu = Math.Max(bestCpu, cpuRate);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: {rate:F0} updates/s wall, {cpuRate:F0} per CPU-second"));
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"best of {rounds}: {best:F0} updates checked/s wall, {bestCpu:F0} per CPU-second ({messages} signed updates, 1 thread)"));

// Where the time goes, per part of the check (same messages, one pass each).
if (args.Contains("--parts"))
{
    var digests = new byte[messages][];
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < messages; i++)
    {
        var m = signed[i];
        digests[i] = new Contribution(m.RunId, m.Round, m.ShardId, m.LeaseId, m.BaseModelHash!, m.UpdateHash, m.Tokens, m.Deadline!.Value)
            .Digest(FederatedDomain.For(chainId));
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  EIP-712 digest: {messages / clock.Elapsed.TotalSeconds:F0}/s"));
    var signatures = signed.Select(m => EcdsaSignature.FromBytes(Convert.FromHexString(m.Signature![2..]))).ToArray();
    var signers = new EthereumAddress[messages];
    clock.Restart();
    for (var i = 0; i < messages; i++) signers[i] = EthSigner.RecoverAddress(digests[i], signatures[i]);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  recovery: {messages / clock.Elapsed.TotalSeconds:F0}/s"));
    clock.Restart();
    for (var i = 0; i < messages; i++) _ = signers[i].ToChecksumString();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  EIP-55 text: {messages / clock.Elapsed.TotalSeconds:F0}/s"));
    clock.Restart();
    for (var i = 0; i < messages; i++) _ = EcdsaSignature.FromBytes(Federated.Chain.Codecs.Hex.Decode(signed[i].Signature!)).ToHex();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  signature parse + canonical text: {messages / clock.Elapsed.TotalSeconds:F0}/s"));
    clock.Restart();
    for (var i = 0; i < messages; i++) _ = EthereumAddress.Parse(signed[i].Signer!);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  claimed signer parse (EIP-55 check): {messages / clock.Elapsed.TotalSeconds:F0}/s"));
}
