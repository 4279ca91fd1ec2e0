using System.Globalization;
using System.Text;
using Federated.Domain.Runs;
using Xunit.Abstractions;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Trust.Tests;

/// <summary>
/// Catch rate and cost of spot checks against sample rate (the table in docs/trust.md). Every row is one real run:
/// 8 workers, 4 of them faking every update (the honest update with one value nudged), 8 rounds, seeds 5, 6 and 7. Run alone with
///   dotnet test tests/Federated.Trust.Tests -c Release --filter Category=SpotStudy --logger "console;verbosity=detailed"
/// </summary>
public class SpotCheckStudy(ITestOutputHelper output)
{
    public static readonly double[] Rates = [0.05, 0.1, 0.25, 0.5, 1.0];

    public static readonly ulong[] Seeds = [5, 6, 7];

    [Fact]
    [Trait("Category", "SpotStudy")]
    public async Task Catch_rate_and_cost_by_sample_rate()
    {
        var table = new StringBuilder();
        table.AppendLine("| sampleRate | fabricators caught | fake updates sent | fake updates aggregated | caught per fake | spot checks / shards trained | check time / worker training time |");
        table.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var rate in Rates)
        {
            int flagged = 0, fakes = 0, caught = 0, aggregated = 0, checks = 0, shards = 0;
            double checkSeconds = 0, trainingSeconds = 0;
            foreach (var seed in Seeds)
            {
                var outcome = await Fabrication.RunAsync(new FabricationRun(rate, Fabricators, Fake.OneValuePerturbed, Rounds, seed));
                flagged += outcome.Events.OfType<WorkerFlagged>().Count();
                var sent = Fabrication.FakeSubmissions(outcome).Count();
                var spotted = outcome.Events.OfType<UpdateRejected>().Count(r => RejectionReasons.CodeOf(r.Reason) == RejectionReasons.SpotCheckMismatch);
                var used = outcome.State.History.SelectMany(h => h.AggregatedUpdates).Count(u => outcome.FakeHashes.Contains(u.UpdateHash));
                Assert.Equal(sent, spotted + used);
                (fakes, caught, aggregated) = (fakes + sent, caught + spotted, aggregated + used);
                checks += outcome.Events.OfType<SpotChecked>().Count();
                shards += outcome.Events.OfType<UpdateSubmitted>().Count();
                checkSeconds += outcome.Events.OfType<SpotChecked>().Sum(c => c.Seconds);
                trainingSeconds += outcome.WorkerTrainingSeconds;
            }
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {rate} | {flagged} of {Fabricators * Seeds.Length} | {fakes} | {aggregated} | {(double)caught / fakes:F2} | {(double)checks / shards:F2} | {checkSeconds / trainingSeconds:F2} |"));
        }
        output.WriteLine(table.ToString());
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "spot-check-study.md"), table.ToString());
    }

    private const int Fabricators = 4;
    private const int Rounds = 8;
}
