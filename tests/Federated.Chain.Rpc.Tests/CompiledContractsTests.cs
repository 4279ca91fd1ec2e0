using System.Diagnostics;

namespace Federated.Chain.Rpc.Tests;

public sealed class CompiledContractsTests
{
    [Fact]
    public async Task Recompiling_the_sources_reproduces_the_committed_build_byte_for_byte()
    {
        if (!Directory.Exists(Path.Combine(RepositoryPaths.Contracts, "node_modules", "solc")))
            Assert.Fail("solc-js is not installed in contracts/node_modules. Run `bash scripts/provision/chain.sh` first.");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root };
        start.ArgumentList.Add("contracts/compile.mjs");
        start.ArgumentList.Add("--check");
        using var node = Process.Start(start) ?? throw new InvalidOperationException("Could not start node (Node.js 20+ must be on PATH).");
        var stderr = node.StandardError.ReadToEndAsync();
        var stdout = await node.StandardOutput.ReadToEndAsync();
        await node.WaitForExitAsync();

        Assert.True(node.ExitCode == 0, $"node contracts/compile.mjs --check exited {node.ExitCode}: {await stderr}{stdout}");
    }

    [Fact]
    public void The_wrapper_knows_every_custom_error_in_the_distributor_ABI()
    {
        var artifact = ContractArtifact.Load(RepositoryPaths.Artifact("RewardDistributor"));

        Assert.Empty(artifact.ErrorSignatures().Except(RewardDistributorContract.ErrorSignatures));
    }

    [Fact]
    public void Every_function_the_wrapper_calls_is_in_the_distributor_ABI()
    {
        var functions = ContractArtifact.Load(RepositoryPaths.Artifact("RewardDistributor")).FunctionSignatures();
        string[] used =
        [
            RewardDistributorContract.PayRound.Signature, RewardDistributorContract.IsPaid.Signature, RewardDistributorContract.CommitmentOf.Signature,
            RewardDistributorContract.Coordinator.Signature, RewardDistributorContract.SetCoordinator.Signature, RewardDistributorContract.Pause.Signature,
            RewardDistributorContract.Unpause.Signature, RewardDistributorContract.Paused.Signature, RewardDistributorContract.BalanceOf.Signature,
            RewardDistributorContract.TotalSupply.Signature, RewardDistributorContract.Transfer.Signature,
        ];

        Assert.Empty(used.Except(functions));
    }
}
