namespace Federated.Chain.Rpc.Tests;

/// <summary>Paths inside the checkout, found by walking up from the test binaries to Federated.sln.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Contracts => Path.Combine(Root, "contracts");

    public static string Anvil => Path.Combine(Contracts, "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");

    public static string Artifact(string contractName) => Path.Combine(Contracts, "build", contractName + ".json");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Federated.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"Federated.sln not found above {AppContext.BaseDirectory}.");
    }
}
