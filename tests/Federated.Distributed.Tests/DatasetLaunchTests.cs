using Federated.Testing;

namespace Federated.Distributed.Tests;

/// <summary>`fed launch` over RabbitMQ with a spec whose dataset names a file on the coordinator's host: the coordinator
/// reads dataset files from its --data-root only, and answers anything else with the reason.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DatasetLaunchTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_launch_naming_a_file_outside_the_data_root_is_refused_and_one_inside_is_launched()
    {
        await using var d = await Deployment.CreateAsync(cluster);
        var root = Path.Combine(d.Root, "datasets");
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, "corpus.txt"), string.Concat(Enumerable.Repeat("all the world's a stage. ", 400)));
        await d.StartCoordinatorAsync(extraArguments: ["--data-root", root]);

        var environ = await LaunchAsync(d, "/proc/self/environ");
        var climbing = await LaunchAsync(d, "../../../../../../../etc/passwd");
        var inside = await LaunchAsync(d, "corpus.txt");

        Assert.Equal(2, environ.ExitCode);
        Assert.Contains("the coordinator refused the run: invalid run spec: dataset.path: '/proc/self/environ' leads to", environ.Output);
        Assert.Contains("outside the data root", environ.Output);
        Assert.Equal(2, climbing.ExitCode);
        Assert.Contains("outside the data root", climbing.Output);
        Assert.True(inside.Succeeded, $"fed launch exited with {inside.ExitCode}:\n{inside.Output}\n{d.Logs()}");
        Assert.NotNull(Deployment.RunIdIn(inside.Output));
    }

    private static Task<ProcessResult> LaunchAsync(Deployment d, string datasetPath)
    {
        var spec = TestSpecs.Small();
        spec["dataset"] = new System.Text.Json.Nodes.JsonObject { ["source"] = "file", ["path"] = datasetPath, ["validationFraction"] = 0.1 };
        var file = Path.Combine(d.Root, $"spec-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, spec.ToJsonString());
        return d.RunFedAsync($"launch-{Guid.NewGuid():N}", ["launch", file, "--broker", d.Broker], admin: true);
    }
}
