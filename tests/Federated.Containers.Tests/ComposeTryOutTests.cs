using System.Globalization;
using System.Text.Json.Nodes;
using Federated.Testing;
using Xunit.Abstractions;

namespace Federated.Containers.Tests;

/// <summary>
/// The consortium try-out of docker/compose.yaml as its README steps run it, with Debian's docker-compose: up, launch the
/// signed run and follow it to its end, verify, see the payouts confirmed, down. Every port is a fresh one, so the stack
/// cannot meet another on this host.
/// </summary>
[Collection(ContainerCollection.Name)]
public sealed class ComposeTryOutTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_compose_try_out_comes_up_completes_a_paid_run_verifies_and_goes_down()
    {
        var compose = ComposeFile();
        var ports = FreePort.Next(7);
        var project = $"fedtryout{Guid.NewGuid().ToString("N")[..8]}";
        var environment = new Dictionary<string, string?>
        {
            ["FED_AMQP_PORT"] = P(ports[0]), ["FED_RABBITMQ_DIST_PORT"] = P(ports[1]), ["FED_EPMD_PORT"] = P(ports[2]),
            ["FED_RABBITMQ_CLI_PORT"] = P(ports[3]), ["FED_PG_PORT"] = P(ports[4]), ["FED_ANVIL_PORT"] = P(ports[5]), ["FED_BLOB_PORT"] = P(ports[6]),
            ["FED_IMAGE_TAG"] = DockerHost.Tag, ["COMPOSE_PROJECT_NAME"] = project,
        };
        Task<ProcessResult> Compose(TimeSpan timeout, params string[] arguments) =>
            LocalProcess.RunAsync(ComposeCli, ["-f", compose, "--project-directory", Path.GetDirectoryName(compose)!, .. arguments], environment, timeout);

        try
        {
            var up = await Compose(TimeSpan.FromMinutes(5), "up", "-d");
            Assert.True(up.Succeeded, $"docker-compose up exited with {up.ExitCode}:\n{up.Output}");

            var launched = await Compose(TimeSpan.FromMinutes(5), "run", "--rm", "launch");
            Assert.True(launched.Succeeded, $"launch exited with {launched.ExitCode}:\n{launched.Output}\n{(await Compose(TimeSpan.FromMinutes(1), "logs", "--tail", "40")).Output}");
            var runId = ContainerDeployment.RunIdIn(launched.Output) ?? throw new InvalidOperationException($"no run id in:\n{launched.Output}");
            output.WriteLine(launched.Output);

            // The coordinator pays each round once the run's rounds are written; wait until both are confirmed.
            JsonArray payouts = [];
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (true)
            {
                var listed = await Compose(TimeSpan.FromMinutes(2), "run", "--rm", "payouts", "payouts", "--store",
                    $"Host=127.0.0.1;Port={ports[4]};Username=postgres;Database=fed", "--run", runId, "--json");
                Assert.True(listed.Succeeded, $"payouts exited with {listed.ExitCode}:\n{listed.Output}");
                payouts = JsonNode.Parse(listed.Output[listed.Output.IndexOf('[', StringComparison.Ordinal)..])!.AsArray();
                if (payouts.Count == 2 && payouts.All(p => (string)p!["status"]! == "confirmed")) break;
                Assert.True(DateTime.UtcNow < deadline, $"payouts not confirmed within 2 minutes:\n{listed.Output}");
                await Task.Delay(TimeSpan.FromSeconds(3));
            }

            var verified = await Compose(TimeSpan.FromMinutes(5), "run", "--rm", "verify");
            Assert.True(verified.Succeeded, $"verify exited with {verified.ExitCode}:\n{verified.Output}");
            Assert.Contains("ok: 2 payout commitment(s) re-derived from the log and equal to commitmentOf on RewardDistributor", verified.Output, StringComparison.Ordinal);
        }
        finally
        {
            var down = await Compose(TimeSpan.FromMinutes(3), "down", "-v", "--remove-orphans", "-t", "20");
            output.WriteLine(down.Output);
        }
        // Down means down: nothing of the project is left.
        var left = await DockerHost.Cli(["ps", "-a", "-q", "--filter", $"label=com.docker.compose.project={project}"]);
        Assert.Equal("", left.Output.Trim());
    }

    private static string ComposeCli => Environment.GetEnvironmentVariable("FED_COMPOSE_CLI") is { Length: > 0 } cli ? cli : "docker-compose";

    private static string P(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static string ComposeFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "docker", "compose.yaml");
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException("docker/compose.yaml is not above the test binaries");
    }
}
