using Federated.Blobs;
using Federated.Coordinator.Data;
using Federated.Coordinator.Models;
using Federated.Coordinator.Runs;
using Federated.Domain;
using Federated.Domain.Runs;
using Federated.Engine;
using Federated.Engine.Parameters;
using Federated.Engine.Tokens;
using Federated.EventStore;
using Federated.EventStore.Serialization;
using Federated.EventStore.Verification;
using static Federated.Domain.Runs.RunEvents.V1;

namespace Federated.Coordinator.Verification;

/// <summary>
/// Checks a data directory end to end: the log's hash chain, then a replay of every run from its events:
/// the initial model from the spec's seed, each round's shards from the plan, each aggregated model from the
/// recorded updates, and each validation loss, all compared bit for bit with what was recorded.
/// The first problem is reported with the event it concerns.
/// </summary>
public sealed class RunVerifier(IEventStoreReader store, IBlobStore blobs)
{
    public async Task<VerifyReport> VerifyAsync(IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var empty = new ContributionLedger([]);
        progress?.Report("checking the hash chain");
        var chain = await new EventLogVerifier(store).VerifyAsync(null, cancellationToken);
        if (!chain.IsValid) return new VerifyReport(chain.EventsVerified, 0, 0, empty, chain.Failure);

        var streams = new Dictionary<string, List<RecordedEvent>>(StringComparer.Ordinal);
        await foreach (var e in store.ReadAllAsync(0, int.MaxValue, cancellationToken))
        {
            if (!streams.TryGetValue(e.StreamId, out var list)) streams[e.StreamId] = list = [];
            list.Add(e);
        }

        var ledger = new List<ContributionLedger.Line>();
        var rounds = 0;
        var runs = 0;
        foreach (var (streamId, events) in streams.OrderBy(s => s.Value[0].GlobalPosition))
        {
            if (!streamId.StartsWith("run-", StringComparison.Ordinal)) continue;
            runs++;
            progress?.Report($"replaying {streamId} ({events.Count} events)");
            var replay = new RunReplay(blobs);
            foreach (var recorded in events)
            {
                string? problem;
                try
                {
                    problem = await replay.ApplyAsync(RunEventCodec.Decode(recorded), cancellationToken);
                }
                catch (Exception e) when (e is EventDeserializationException or BlobStoreException or ParameterFormatException
                                              or ArgumentException or DomainException or InvalidOperationException or RunSpecException)
                {
                    problem = e.Message;
                }
                if (problem is not null)
                    return new VerifyReport(chain.EventsVerified, runs, rounds + replay.Rounds, new ContributionLedger(ledger),
                        new VerificationFailure(recorded.GlobalPosition, recorded.StreamId, recorded.StreamVersion, recorded.EventType, problem));
            }
            rounds += replay.Rounds;
            ledger.AddRange(replay.Ledger());
        }
        return new VerifyReport(chain.EventsVerified, runs, rounds, new ContributionLedger(ledger), null);
    }

    /// <summary>One run re-derived event by event; each Apply returns a problem or null.</summary>
    private sealed class RunReplay(IBlobStore blobs)
    {
        private RunState _state = RunState.Initial;
        private ILanguageModel? _model;
        private byte[] _train = [];
        private int[] _validation = [];
        private Dictionary<int, Domain.Aggregation.ContributionScore> _scores = [];
        private readonly Dictionary<string, (int Accepted, int Rejected, long Tokens)> _byWorker = new(StringComparer.Ordinal);

        public int Rounds { get; private set; }

        public async Task<string?> ApplyAsync(object e, CancellationToken ct)
        {
            var problem = e switch
            {
                RunLaunched l => await LaunchedAsync(l, ct),
                RoundOpened o => await OpenedAsync(o, ct),
                UpdateAccepted a => WeightProblem(a) ?? Count(a.WorkerId, accepted: 1, rejected: 0, a.Weight),
                UpdateRejected r => Count(r.WorkerId, accepted: 0, rejected: 1, 0),
                RoundAggregated g => await AggregatedAsync(g, ct),
                ContributionScored s => ScoreProblem(s),
                RunCompleted c when c.FinalModelHash != _state.CurrentModelHash =>
                    $"final model {c.FinalModelHash} is not the last aggregated model {_state.CurrentModelHash}",
                _ => null,
            };
            _state = RunState.Evolve(_state, e);
            return problem;
        }

        public IEnumerable<ContributionLedger.Line> Ledger() =>
            _byWorker.OrderBy(w => w.Key, StringComparer.Ordinal)
                .Select(w => new ContributionLedger.Line(_state.RunId, w.Key, w.Value.Accepted, w.Value.Rejected, w.Value.Tokens));

        private string? Count(string worker, int accepted, int rejected, long tokens)
        {
            var (a, r, t) = _byWorker.GetValueOrDefault(worker);
            _byWorker[worker] = (a + accepted, r + rejected, t + tokens);
            return null;
        }

        private async Task<string?> LaunchedAsync(RunLaunched e, CancellationToken ct)
        {
            _model = SpecModels.Create(e.Spec.Model);
            var weights = _model.Initialize(e.Spec.Seed);
            var hash = BlobHash.Of(ParameterCodec.Encode(weights)).Hex;
            if (hash != e.InitialModelHash) return $"initial model does not reproduce from seed {e.Spec.Seed}: recorded {e.InitialModelHash}, replay gives {hash}";
            _train = await blobs.GetAsync(BlobHash.Parse(e.TrainSetHash), ct);
            _validation = ByteTokenizer.Encode(await blobs.GetAsync(BlobHash.Parse(e.ValidationSetHash), ct));
            var loss = _model.Evaluate(weights, _validation, new EvaluateOptions(e.Spec.EvalTokens));
            return SameFloat(loss, e.InitialValidationLoss) ? null : $"initial validation loss does not reproduce: recorded {e.InitialValidationLoss}, replay gives {loss}";
        }

        private async Task<string?> OpenedAsync(RoundOpened e, CancellationToken ct)
        {
            if (e.BaseModelHash != _state.CurrentModelHash) return $"round {e.Round} starts from {e.BaseModelHash}, but the current model is {_state.CurrentModelHash}";
            var spec = _state.Spec!;
            var plan = ShardPlanner.Plan(spec.Seed, e.Round, spec.ShardsPerRound, spec.ShardTokens, _train.Length);
            if (plan.Count != e.Shards.Count) return $"round {e.Round} has {e.Shards.Count} shards, the plan has {plan.Count}";
            for (var i = 0; i < plan.Count; i++)
            {
                var expected = BlobHash.Of(_train.AsSpan(plan[i].Offset, plan[i].Length)).Hex;
                var shard = e.Shards[i];
                if (shard.ShardId != plan[i].ShardId || shard.DataHash != expected || shard.Seed != plan[i].Seed || shard.Tokens != plan[i].Length)
                    return $"shard {shard.ShardId} of round {e.Round} does not match the plan derived from seed {spec.Seed}";
                await blobs.GetAsync(BlobHash.Parse(shard.DataHash), ct);
            }
            return null;
        }

        private async Task<string?> AggregatedAsync(RoundAggregated e, CancellationToken ct)
        {
            var round = _state.OpenRound;
            if (round is null || round.Round != e.Round) return $"round {e.Round} was aggregated but is not the open round";
            var accepted = round.Accepted.Values.Select(u => (u.ShardId, u.UpdateHash)).ToList();
            var aggregated = e.AggregatedUpdates.Select(u => (u.ShardId, u.UpdateHash)).ToList();
            if (!accepted.SequenceEqual(aggregated))
                return $"round {e.Round} aggregated [{Join(aggregated)}] but the accepted updates are [{Join(accepted)}]";
            var spec = _state.Spec!;
            var next = await ModelAggregation.ComputeAsync(blobs, round.BaseModelHash, e.AggregatedUpdates.Select(u => (u.UpdateHash, u.Weight)).ToList(),
                _model!.ParameterCount, e.Aggregator, spec.ToAggregatorSettings(), spec.Verification, e.OuterLearningRate, ct);
            if (next.Hash.Hex != e.ModelHash) return $"round {e.Round} model does not reproduce: recorded {e.ModelHash}, replay gives {next.Hash.Hex}";
            for (var i = 0; i < next.Updates.Count; i++)
            {
                var magnitude = Domain.Aggregation.UpdateBounds.Measure(next.Updates[i], next.BaseNorm);
                if (Domain.Aggregation.UpdateBounds.Violation(magnitude, spec.Verification) is { } outOfBounds)
                    return $"round {e.Round} aggregated the update of shard {e.AggregatedUpdates[i].ShardId}, which breaks the update bound: {outOfBounds}";
            }
            await blobs.GetAsync(next.Hash, ct);
            _scores = Trust.RoundScores.Of(round, next).ToDictionary(s => s.ShardId);
            var loss = _model.Evaluate(next.Weights, _validation, new EvaluateOptions(spec.EvalTokens));
            if (!SameFloat(loss, e.Metrics.ValidationLoss)) return $"round {e.Round} validation loss does not reproduce: recorded {e.Metrics.ValidationLoss}, replay gives {loss}";
            Rounds++;
            return null;
        }

        /// <summary>An accepted weight may not exceed what the task's local steps train on (nor the shard, which the
        /// run state already enforces).</summary>
        private string? WeightProblem(UpdateAccepted a)
        {
            if (_state.Spec is not { } spec || _state.OpenRound?.Shard(a.ShardId) is not { } shard) return null;
            var ceiling = _model!.TrainTokens(spec.LocalSteps, spec.BatchSize, (int)Math.Min(int.MaxValue, shard.Tokens));
            return a.Weight <= ceiling ? null
                : $"shard {a.ShardId} of round {a.Round} was accepted with weight {a.Weight}, above the {ceiling} tokens its {spec.LocalSteps} local steps of batch {spec.BatchSize} train on";
        }

        /// <summary>A recorded score must be the one the replayed aggregation gives, bit for bit.</summary>
        private string? ScoreProblem(ContributionScored s)
        {
            if (!_scores.TryGetValue(s.ShardId, out var expected) || s.Round != _state.LastAggregatedRound)
                return $"a score for shard {s.ShardId} of round {s.Round} does not follow that round's aggregation";
            return expected.Score.Equals(s.Score) && expected.Cosine.Equals(s.Cosine) && expected.CopyOf == s.CopyOfShard && expected.WorkerId == s.WorkerId
                ? null
                : $"shard {s.ShardId} of round {s.Round} scored {s.Score} (cosine {s.Cosine}), replay gives {expected.Score} (cosine {expected.Cosine})";
        }

        private static bool SameFloat(float a, float b) => BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b);

        private static string Join(IEnumerable<(int ShardId, string Hash)> items) => string.Join(", ", items.Select(i => $"{i.ShardId}:{i.Hash[..Math.Min(12, i.Hash.Length)]}"));
    }
}
