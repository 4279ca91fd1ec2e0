using System.Reflection;

namespace Federated.Architecture.Tests;

/// <summary>
/// Dependencies point one way, towards pure code. Each project assembly may reference only the project
/// assemblies its row allows, so a new dependency is a change to this table made on purpose. The compiler
/// drops references to assemblies a project never uses, so these facts check actual use, not project files.
/// </summary>
public class DependencyDirectionTests
{
    /// <summary>Every project assembly, found through a public type it defines (or by name where it has none to spare).</summary>
    internal static readonly Dictionary<string, Func<Assembly>> ProjectAssemblies = new()
    {
        ["Federated.Domain"] = () => typeof(Federated.Domain.Runs.RunSpec).Assembly,
        ["Federated.Contracts"] = () => typeof(Federated.Contracts.TrainShard).Assembly,
        ["Federated.Engine"] = () => typeof(Federated.Engine.ILanguageModel).Assembly,
        ["Federated.Engine.Onnx"] = () => typeof(Federated.Engine.Onnx.OnnxGptModel).Assembly,
        ["Federated.Blobs"] = () => typeof(Federated.Blobs.IBlobStore).Assembly,
        ["Federated.EventStore"] = () => typeof(Federated.EventStore.IEventStore).Assembly,
        ["Federated.EventStore.Sqlite"] = () => typeof(Federated.EventStore.Sqlite.SqliteEventStore).Assembly,
        ["Federated.Chain"] = () => Assembly.Load("Federated.Chain"),
        ["Federated.Chain.Rpc"] = () => Assembly.Load("Federated.Chain.Rpc"),
        ["Federated.Rewards"] = () => typeof(Federated.Rewards.PayoutProcessor).Assembly,
        ["Federated.EventStore.Postgres"] = () => Assembly.Load("Federated.EventStore.Postgres"),
        ["Federated.Messaging"] = () => Assembly.Load("Federated.Messaging"),
        ["Federated.Blobs.Http"] = () => Assembly.Load("Federated.Blobs.Http"),
        ["Federated.Coordinator"] = () => typeof(Federated.Coordinator.Runs.RunCoordinator).Assembly,
        ["Federated.Worker"] = () => typeof(Federated.Worker.ShardWorker).Assembly,
        ["fed"] = () => Assembly.Load("fed"),
    };

    /// <summary>The project assemblies each project assembly may reference. Add to a row on purpose, never to make a build pass.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Federated.Domain"] = [],
        ["Federated.Contracts"] = [],
        ["Federated.Engine"] = [],
        // ONNX Runtime (native) comes in here only, so the engine that trains and verifies stays managed code.
        ["Federated.Engine.Onnx"] = ["Federated.Engine"],
        ["Federated.Blobs"] = [],
        ["Federated.EventStore"] = [],
        ["Federated.Chain"] = [],
        ["Federated.EventStore.Sqlite"] = ["Federated.EventStore"],
        ["Federated.EventStore.Postgres"] = ["Federated.EventStore"],
        ["Federated.Chain.Rpc"] = ["Federated.Chain"],
        // Payouts: pure decisions stay in Domain; this project adds only the log and chain I/O around them.
        ["Federated.Rewards"] = ["Federated.Domain", "Federated.EventStore", "Federated.Chain", "Federated.Chain.Rpc"],
        ["Federated.Messaging"] = ["Federated.Contracts"],
        ["Federated.Blobs.Http"] = ["Federated.Blobs"],
        // Worker and Coordinator use Federated.Chain (pure: secp256k1, EIP-712) for worker identity: the worker signs its
        // registration and contributions, the coordinator recovers the signer. The EIP-712 schemas live in Chain so the
        // reward contract's tooling can verify the same structs; no network code comes with it (that is Chain.Rpc).
        ["Federated.Worker"] = ["Federated.Contracts", "Federated.Blobs", "Federated.Engine", "Federated.Chain"],
        ["Federated.Coordinator"] = ["Federated.Domain", "Federated.EventStore", "Federated.Contracts", "Federated.Blobs", "Federated.Engine", "Federated.Chain"],
        ["fed"] =
        [
            "Federated.Coordinator", "Federated.Worker", "Federated.EventStore.Sqlite", "Federated.EventStore.Postgres",
            "Federated.EventStore", "Federated.Messaging", "Federated.Blobs.Http", "Federated.Chain.Rpc", "Federated.Chain",
            "Federated.Domain", "Federated.Contracts", "Federated.Blobs", "Federated.Engine", "Federated.Rewards",
            "Federated.Engine.Onnx",
        ],
    };

    public static TheoryData<string> Projects => [.. ProjectAssemblies.Keys];

    [Theory]
    [MemberData(nameof(Projects))]
    public void A_project_references_only_the_project_assemblies_its_row_allows(string project)
    {
        var unexpected = ProjectReferencesOf(ProjectAssemblies[project]()).Except(Allowed[project]).Order(StringComparer.Ordinal);

        Assert.Empty(unexpected);
    }

    /// <summary>The rules behind the table, spelt out, so that widening a row cannot quietly break one.
    /// A name ending in '*' stands for every assembly whose name starts with what comes before it.</summary>
    [Theory]
    [InlineData("Federated.Domain", "Federated.*")]
    [InlineData("Federated.Domain", "fed")]
    [InlineData("Federated.Domain", "MassTransit*")]
    [InlineData("Federated.Domain", "Microsoft.Data.Sqlite")]
    [InlineData("Federated.Domain", "Npgsql*")]
    [InlineData("Federated.Domain", "System.Net.*")]
    [InlineData("Federated.Contracts", "Federated.*")]
    [InlineData("Federated.Engine", "Federated.*")]
    [InlineData("Federated.Engine", "Microsoft.ML.OnnxRuntime*")]
    [InlineData("Federated.Coordinator", "Federated.Engine.Onnx")]
    [InlineData("Federated.Worker", "Federated.Engine.Onnx")]
    [InlineData("Federated.Blobs", "Federated.*")]
    [InlineData("Federated.EventStore", "Federated.*")]
    [InlineData("Federated.Chain", "Federated.*")]
    [InlineData("Federated.Worker", "Federated.Coordinator")]
    [InlineData("Federated.Worker", "Federated.EventStore*")]
    [InlineData("Federated.Worker", "Federated.Domain")]
    [InlineData("Federated.Coordinator", "fed")]
    [InlineData("Federated.Coordinator", "Federated.Worker")]
    [InlineData("Federated.Coordinator", "Federated.EventStore.Sqlite")]
    [InlineData("Federated.Coordinator", "Federated.EventStore.Postgres")]
    [InlineData("Federated.EventStore.Postgres", "Federated.EventStore.Sqlite")]
    [InlineData("Federated.Messaging", "Federated.Domain")]
    [InlineData("Federated.Messaging", "Federated.EventStore*")]
    [InlineData("Federated.Blobs.Http", "Federated.Engine")]
    [InlineData("Federated.Chain.Rpc", "Federated.Domain")]
    [InlineData("Federated.Coordinator", "Federated.Chain.Rpc")]
    [InlineData("Federated.Worker", "Federated.Chain.Rpc")]
    [InlineData("Federated.Chain.Rpc", "Federated.Rewards")]
    [InlineData("Federated.Rewards", "fed")]
    [InlineData("Federated.Rewards", "Federated.Coordinator")]
    [InlineData("Federated.Rewards", "Federated.Worker")]
    [InlineData("Federated.Rewards", "Federated.EventStore.Sqlite")]
    [InlineData("Federated.Rewards", "Federated.EventStore.Postgres")]
    [InlineData("Federated.Rewards", "MassTransit*")]
    [InlineData("Federated.Coordinator", "Federated.Rewards")]
    public void A_project_never_references_what_the_dependency_rules_forbid(string project, string forbidden)
    {
        var matches = ProjectAssemblies[project]().GetReferencedAssemblies()
            .Select(a => a.Name ?? "")
            .Where(name => forbidden.EndsWith('*') ? name.StartsWith(forbidden[..^1], StringComparison.Ordinal) : name == forbidden);

        Assert.Empty(matches);
    }

    [Fact]
    public void Every_project_assembly_reachable_from_the_entry_points_has_a_row()
    {
        var reachable = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([Assembly.Load("fed"), Assembly.Load("Federated.Chain.Rpc"), Assembly.Load("Federated.Rewards")]);
        while (pending.TryPop(out var assembly))
        {
            if (!reachable.Add(assembly.GetName().Name!)) continue;
            foreach (var name in ProjectReferencesOf(assembly)) pending.Push(Assembly.Load(name));
        }

        Assert.Empty(reachable.Except(Allowed.Keys));
    }

    [Fact]
    public void Every_row_names_only_projects_the_table_knows() =>
        Assert.Empty(Allowed.Values.SelectMany(row => row).Except(Allowed.Keys));

    [Fact]
    public void The_allowed_references_form_no_cycle()
    {
        // Depth-first search: a project met again while still on the path closes a cycle.
        var onPath = new List<string>();
        var done = new HashSet<string>();
        var cycles = new List<string>();

        void Visit(string project)
        {
            if (done.Contains(project)) return;
            if (onPath.Contains(project))
            {
                cycles.Add(string.Join(" -> ", onPath.SkipWhile(p => p != project).Append(project)));
                return;
            }
            onPath.Add(project);
            foreach (var reference in Allowed.GetValueOrDefault(project, [])) Visit(reference);
            onPath.RemoveAt(onPath.Count - 1);
            done.Add(project);
        }

        foreach (var project in Allowed.Keys) Visit(project);

        Assert.Empty(cycles);
    }

    private static bool IsProjectAssembly(string? name) =>
        name is not null && (name == "fed" || name.StartsWith("Federated.", StringComparison.Ordinal));

    private static IEnumerable<string> ProjectReferencesOf(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name).Where(IsProjectAssembly).Select(name => name!);
}
