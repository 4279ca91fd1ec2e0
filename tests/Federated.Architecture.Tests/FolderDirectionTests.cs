namespace Federated.Architecture.Tests;

/// <summary>
/// Inside a project, folders depend one way too: the folders of every project form no cycle (so each has a place
/// in a layering, and a folder can be read, tested or moved with only what is below it), and the directions that
/// were once reversed are pinned by name. A folder is a namespace (see <see cref="FolderGraph"/>).
/// </summary>
public class FolderDirectionTests
{
    /// <summary>Each project's root namespace, which is its assembly name except for the fed command.</summary>
    private static string RootNamespaceOf(string project) => project == "fed" ? "Federated.Cli" : project;

    /// <summary>Every project but the engine, whose folders EngineFolderDirectionTests holds to a stricter table of its own
    /// (issue 17 splits the work: the engine's folders are untangled on their own branch).</summary>
    public static TheoryData<string> Projects => [.. DependencyDirectionTests.ProjectAssemblies.Keys];

    [Theory]
    [MemberData(nameof(Projects))]
    public void The_folders_of_a_project_form_no_cycle(string project)
    {
        var graph = new FolderGraph(DependencyDirectionTests.ProjectAssemblies[project](), RootNamespaceOf(project));

        var cycles = graph.Cycles();

        Assert.True(cycles.Count == 0, $"{project} has folder cycles:\n{string.Join("\n", cycles)}");
    }

    /// <summary>The layering behind the rule, spelt out where a folder once pointed the wrong way. Domain: a run spec holds
    /// its aggregator, verification and reward settings, the aggregators know nothing of runs, and rewards (then payouts)
    /// are read from a run's record, so a run knows nothing of them. Coordinator: runs use the trust checks, spot
    /// checks build their model through the shared model factory, not through the run coordinator. Cli: commands use
    /// the distributed helpers, not the reverse.</summary>
    [Theory]
    [InlineData("Federated.Domain", "Aggregation", "Runs")]
    [InlineData("Federated.Domain", "Aggregation", "Rewards")]
    [InlineData("Federated.Domain", "Verification", "Runs")]
    [InlineData("Federated.Domain", "Verification", "Aggregation")]
    [InlineData("Federated.Domain", "Runs", "Rewards")]
    [InlineData("Federated.Domain", "Runs", "Payouts")]
    [InlineData("Federated.Domain", "Rewards", "Payouts")]
    [InlineData("Federated.Coordinator", "Trust", "Runs")]
    [InlineData("Federated.Coordinator", "Models", "Runs")]
    [InlineData("Federated.Coordinator", "Models", "Trust")]
    [InlineData("Federated.Coordinator", "Storage", "Runs")]
    [InlineData("Federated.Coordinator", "Runs", "Verification")]
    [InlineData("fed", "Distributed", "Commands")]
    public void A_folder_never_uses_a_folder_above_it(string project, string folder, string above)
    {
        var graph = new FolderGraph(DependencyDirectionTests.ProjectAssemblies[project](), RootNamespaceOf(project));

        var use = graph.Use(folder, above);

        Assert.True(use is null, $"{project}: '{folder}' uses '{above}': {use}");
    }

    [Fact]
    public void The_graph_sees_a_use_through_a_method_body()
    {
        // RunSpecValidator names the aggregators only inside method bodies; the graph must still see it.
        var graph = new FolderGraph(typeof(Federated.Domain.Runs.RunSpec).Assembly, "Federated.Domain");

        Assert.NotNull(graph.Use("Runs", "Aggregation"));
    }

    [Fact]
    public void The_graph_finds_a_cycle_made_through_a_lambda()
    {
        var graph = new FolderGraph(typeof(FolderDirectionTests).Assembly, "Federated.Architecture.Tests.Samples");

        Assert.Contains(graph.Cycles(), cycle => cycle.StartsWith("'Lower' -> 'Upper'", StringComparison.Ordinal));
    }

    [Fact]
    public void The_graph_sees_a_use_through_an_array_property()
    {
        var graph = new FolderGraph(typeof(FolderDirectionTests).Assembly, "Federated.Architecture.Tests.Samples");

        Assert.NotNull(graph.Use("Apart", "Lower"));
    }
}
