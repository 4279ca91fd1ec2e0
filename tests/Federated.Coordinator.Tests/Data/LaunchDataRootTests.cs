using System.Text;
using Federated.Chain.Attestations;
using Federated.Chain.Hashing;
using Federated.Chain.Signing;
using Federated.Contracts;
using Federated.Coordinator.Data;
using Federated.Coordinator.Runs;
using Federated.Coordinator.Specs;
using Federated.Domain.Runs;

namespace Federated.Coordinator.Tests.Data;

/// <summary>An admin-signed launch request whose spec names a file outside the coordinator's data root is refused with
/// the reason, and nothing is read or stored: the coordinator's host files never become blobs sent to workers.</summary>
public sealed class LaunchDataRootTests : IDisposable
{
    private static readonly byte[] AdminKey = Keccak256.HashUtf8("data-root-admin");
    private readonly string _root = Path.Combine(Path.GetTempPath(), "fed-launch-root-" + Guid.NewGuid().ToString("N")[..8]);

    public LaunchDataRootTests()
    {
        Directory.CreateDirectory(_root);
        File.WriteAllText(Path.Combine(_root, "corpus.txt"), string.Concat(Enumerable.Repeat("to be or not to be, that is the question. ", 200)));
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private static LaunchRunRequested Signed(string datasetPath)
    {
        var spec = TestRun.SmallSpec(workers: 1, rounds: 1) with { Dataset = new DatasetSpec("file", datasetPath, 0.1) };
        var json = RunSpecFile.ToJson(spec);
        var requestId = Guid.NewGuid().ToString("N");
        var issued = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new LaunchRunRequested
        {
            RequestId = requestId, SpecJson = json, Admin = EthSigner.AddressOf(AdminKey).ToChecksumString(), IssuedAt = issued,
            Signature = AdminAction.For(AdminAction.LaunchRun, requestId, Encoding.UTF8.GetBytes(json), issued).Sign(AdminKey),
        };
    }

    private (TestRun Run, CoordinatorHost Host) Coordinator(bool withRoot)
    {
        var run = new TestRun();
        var coordinator = new RunCoordinator(run.Store, run.Blobs, run.Dispatcher, TimeProvider.System, new CoordinatorOptions
        {
            Admins = [EthSigner.AddressOf(AdminKey).ToChecksumString()],
            DataRoot = withRoot ? new DataRoot(_root) : null,
        });
        return (run, new CoordinatorHost(coordinator, run.Store));
    }

    private static async Task<int> CountEventsAsync(TestRun run)
    {
        var count = 0;
        await foreach (var _ in run.Store.ReadAllAsync(0, int.MaxValue)) count++;
        return count;
    }

    private static int CountBlobs(TestRun run) =>
        Directory.Exists(run.Blobs.Root) ? Directory.EnumerateFiles(run.Blobs.Root, "*", SearchOption.AllDirectories).Count() : 0;

    [Theory]
    [InlineData("/proc/self/environ", "outside the data root")]
    [InlineData("../../../../../../etc/passwd", "outside the data root")]
    [InlineData("/dev/zero", "outside the data root")]
    public async Task A_launch_naming_a_host_file_is_refused_and_nothing_is_stored(string path, string reason)
    {
        var (run, host) = Coordinator(withRoot: true);
        using var _ = run;
        await using var __ = host;

        var answer = await host.LaunchAsync(Signed(path));

        Assert.Null(answer.RunId);
        Assert.StartsWith("invalid run spec: dataset.path: ", answer.Error);
        Assert.Contains(reason, answer.Error);
        Assert.Equal((0, 0), (await CountEventsAsync(run), CountBlobs(run)));
    }

    [Fact]
    public async Task Without_a_data_root_a_launch_naming_a_file_is_refused()
    {
        var (run, host) = Coordinator(withRoot: false);
        using var _ = run;
        await using var __ = host;

        var answer = await host.LaunchAsync(Signed("/proc/self/environ"));

        Assert.Contains("dataset.path: no data root is configured", answer.Error);
        Assert.Equal((0, 0), (await CountEventsAsync(run), CountBlobs(run)));
    }

    [Fact]
    public async Task A_launch_naming_a_file_in_the_data_root_launches_the_run()
    {
        var (run, host) = Coordinator(withRoot: true);
        using var _ = run;
        await using var __ = host;

        var answer = await host.LaunchAsync(Signed("corpus.txt"));

        Assert.Null(answer.Error);
        Assert.Equal(RunStatus.Running, host.Coordinator.StateOf(answer.RunId!).Status);
    }
}
