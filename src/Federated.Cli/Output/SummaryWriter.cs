using System.Globalization;
using System.Text.Json;
using Federated.Cli.Embedded;
using Federated.Coordinator.Runs;

namespace Federated.Cli.Output;

internal static class SummaryWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string RoundLine(RoundReport r) => string.Create(CultureInfo.InvariantCulture,
        $"round {r.Round,3}/{r.Rounds}  accepted {r.Accepted}  rejected {r.Rejected}  train loss {r.TrainLoss:F4}  val loss {r.ValidationLoss:F4}  tokens {r.Tokens}  {r.Elapsed.TotalSeconds:F1}s");

    public static string Json(RunOutcome o) => JsonSerializer.Serialize(o, JsonOptions);

    public static void Text(RunOutcome o, TextWriter w)
    {
        var inv = CultureInfo.InvariantCulture;
        w.WriteLine();
        w.WriteLine($"run {o.RunId} {o.Status}" + (o.FailureReason is null ? "" : $": {o.FailureReason}"));
        w.WriteLine($"  model            {o.Model}");
        w.WriteLine($"  rounds           {o.Rounds}, workers {o.Workers}");
        w.WriteLine($"  updates          {o.AcceptedUpdates} accepted, {o.RejectedUpdates} rejected");
        w.WriteLine(string.Create(inv, $"  validation loss  {o.InitialValidationLoss:F4} -> {o.FinalValidationLoss:F4}"));
        w.WriteLine($"  events written   {o.EventsWritten}");
        foreach (var c in o.Contributions)
            w.WriteLine($"  contributor      {c.WorkerId,-10} {c.AcceptedUpdates} updates, {c.Tokens} tokens");
        w.WriteLine($"  final model      {o.FinalModelHash}");
        w.WriteLine($"  checkpoint       {o.Checkpoint}");
        w.WriteLine($"  data directory   {o.DataDirectory}");
        w.WriteLine(string.Create(inv, $"  elapsed          {o.ElapsedSeconds:F1}s"));
        w.WriteLine($"check it: fed verify --data-dir {o.DataDirectory}");
    }
}
