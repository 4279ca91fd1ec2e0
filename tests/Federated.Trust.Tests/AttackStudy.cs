using System.Globalization;
using System.Text;
using Federated.Domain.Aggregation;
using Xunit.Abstractions;

namespace Federated.Trust.Tests;

/// <summary>
/// The table in docs/attacks.md: aggregator x attack x f -> final validation loss, every cell a real run. Writes the
/// table to the test output and to attack-study.md beside the test assembly. Run alone with
///   dotnet test tests/Federated.Trust.Tests -c Release --filter Category=Study --logger "console;verbosity=detailed"
/// </summary>
public class AttackStudy(ITestOutputHelper output)
{
    public static readonly int[] ByzantineCounts = [1, 2]; // 1 .. n/4 of n = 8

    public static readonly Attack[] Attacks =
        [Attack.SignFlip, Attack.Scaled, Attack.GaussianNoise, Attack.LittleIsEnough, Attack.FreeRider, Attack.Copycat, Attack.StaleBase];

    [Fact]
    [Trait("Category", "Study")]
    public async Task Every_aggregator_runs_every_attack_at_f_from_1_to_n_over_4()
    {
        var reference = await Experiment.RunAsync(Scenario.Clean("fedavg"));
        var baseline = reference.FinalValidationLoss;
        var table = new StringBuilder();
        table.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Initial validation loss {reference.InitialValidationLoss:F4}; clean fedavg {baseline:F4}; an honest worker claims {reference.Rounds[0].AggregatedUpdates[0].Weight} tokens."));
        table.AppendLine();
        table.AppendLine($"| aggregator | f | clean | {string.Join(" | ", Attacks.Select(Label))} |");
        table.AppendLine($"|---|---|---|{string.Concat(Attacks.Select(_ => "---|"))}");
        var cells = 0;
        foreach (var aggregator in Aggregators.Names)
        {
            var clean = await Experiment.FinalValidationLossAsync(Scenario.Clean(aggregator));
            foreach (var f in ByzantineCounts)
            {
                var row = new List<string> { aggregator, f.ToString(CultureInfo.InvariantCulture), Cell(clean, baseline) };
                foreach (var attack in Attacks)
                {
                    row.Add(Cell(await Experiment.FinalValidationLossAsync(new Scenario(aggregator, attack, f)), baseline));
                    cells++;
                }
                table.AppendLine($"| {string.Join(" | ", row)} |");
            }
        }
        var text = table.ToString();
        output.WriteLine(text);
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "attack-study.md"), text);

        Assert.Equal(Aggregators.Names.Count * ByzantineCounts.Length * Attacks.Length, cells);
    }

    private static string Label(Attack attack) => attack switch
    {
        Attack.SignFlip => "sign-flip",
        Attack.Scaled => "scaled",
        Attack.GaussianNoise => "noise",
        Attack.LittleIsEnough => "little-is-enough",
        Attack.FreeRider => "free-rider",
        Attack.Copycat => "copycat",
        Attack.StaleBase => "stale-base",
        _ => attack.ToString(),
    };

    /// <summary>"2.4490 (+1.7%)": the loss and how far it is from the clean FedAvg run.</summary>
    private static string Cell(float loss, float baseline) =>
        float.IsFinite(loss)
            ? string.Create(CultureInfo.InvariantCulture, $"{loss:F4} ({(loss / baseline - 1) * 100:+0.0;-0.0;0.0}%)")
            : loss.ToString(CultureInfo.InvariantCulture);
}
